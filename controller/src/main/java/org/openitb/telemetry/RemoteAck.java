package org.openitb.telemetry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.clock.Clock;
import org.openitb.control.Json;
import org.openitb.control.ProtocolException;
import org.openitb.control.Requests;
import org.openitb.journal.TherapyEvent;
import org.tinylog.Logger;

/**
 * Acknowledgements from afar ({@code cmd/ack}): {@code {"id": "...", "by": "..."}}, checked
 * strictly and then handed to the same supervisor path as a local {@code ack}, on behalf of
 * {@code "<by> (mqtt)"}. Anything malformed, oversized, for another pump or for an alarm that is
 * not open is refused: journaled as {@code remote-ack-refused} (so it goes out on {@code event})
 * and logged, never acted on. Refusals are rate-limited so a flood cannot fill the journal.
 */
public final class RemoteAck {

    /** Largest acknowledgement read, in bytes. */
    public static final int PAYLOAD_LIMIT = 1024;
    /** Longest name in {@code by}. */
    public static final int BY_LIMIT = 64;
    /** Refusals journaled in a burst, then one per {@link #REFUSAL_REFILL_NANOS}; the rest are counted. */
    static final int REFUSAL_BURST = 10;
    static final long REFUSAL_REFILL_NANOS = 1_000_000_000L;
    /** What a name in {@code by} may be, in words. */
    public static final String BY_RULE = "1 to " + BY_LIMIT + " letters, digits, spaces or . _ @ ' -";
    private static final Pattern BY = Pattern.compile("[\\p{L}\\p{N} ._@'-]{1," + BY_LIMIT + "}");

    private final String pumpId;
    private final AlarmSupervisor supervisor;
    private final Consumer<TherapyEvent> journal;
    private final Clock clock;
    private final Clock real;
    private double tokens = REFUSAL_BURST;
    private long refilledNanos;
    private long suppressed;

    /**
     * @param clock the pump's clock, for the journal; {@code real} paces the refusals
     */
    public RemoteAck(String pumpId, AlarmSupervisor supervisor, Consumer<TherapyEvent> journal, Clock clock, Clock real) {
        this.pumpId = Objects.requireNonNull(pumpId, "pumpId");
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.real = Objects.requireNonNull(real, "real");
        this.refilledNanos = real.nanos();
    }

    /** One {@code cmd/ack} message as it came off the wire. Never throws, never blocks. */
    public void accept(byte[] payload) {
        Request r;
        try {
            r = parse(payload);
        } catch (ProtocolException e) {
            refuse(e.getMessage(), Optional.empty(), Optional.empty(), payload.length);
            return;
        }
        // Kept, not ignored: whatever the answer's handling throws is logged, not lost in the future.
        CompletableFuture<?> unused = supervisor.acknowledge(r.alarmId(), r.by() + " (mqtt)").whenComplete((result, error) -> {
            if (error != null) {
                Logger.error(error, "acknowledging alarm {} over MQTT failed", r.alarmId());
            } else if (result.ok()) {
                Logger.info("alarm {} acknowledged over MQTT by {}", r.alarmId(), r.by());
            } else {
                refuse(result.message(), Optional.of(r.id()), Optional.of(r.by()), payload.length);
            }
        });
    }

    /** Whether {@code by} is a name an acknowledgement may carry. */
    public static boolean validBy(String by) {
        return BY.matcher(by).matches();
    }

    /** A retained acknowledgement would act again on every reconnect: refused whatever it says. */
    public void refuseRetained(int bytes) {
        refuse("a retained acknowledgement is not acted on (it would repeat at every reconnect); publish it without the retain flag",
                Optional.empty(), Optional.empty(), bytes);
    }

    record Request(String id, String alarmId, String by) {
    }

    Request parse(byte[] payload) throws ProtocolException {
        if (payload.length > PAYLOAD_LIMIT) {
            throw new ProtocolException("an acknowledgement of " + payload.length + " bytes is above the limit of " + PAYLOAD_LIMIT);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("an acknowledgement must be UTF-8 text");
        }
        Json json = Json.parse(text);
        String id = json.requiredString("id");
        String by = json.requiredString("by").strip();
        Optional<String> pump = json.string("pumpId");
        json.noOtherFields();
        if (!BY.matcher(by).matches()) {
            throw new ProtocolException("\"by\" must be " + BY_RULE);
        }
        if (pump.isPresent() && !pump.get().equals(pumpId)) {
            throw new ProtocolException("the acknowledgement is for pump \"" + clip(pump.get()) + "\", not " + pumpId);
        }
        return new Request(id, Requests.alarmId(id), by);
    }

    private synchronized void refuse(String reason, Optional<String> id, Optional<String> by, int bytes) {
        long now = real.nanos();
        tokens = Math.min(REFUSAL_BURST, tokens + (double) (now - refilledNanos) / REFUSAL_REFILL_NANOS);
        refilledNanos = now;
        if (tokens < 1) {
            suppressed++;
            return;
        }
        tokens -= 1;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        id.ifPresent(v -> details.put("id", clip(v)));
        by.ifPresent(v -> details.put("by", v));
        details.put("bytes", bytes);
        if (suppressed > 0) {
            details.put("refusedUnreported", suppressed);
            suppressed = 0;
        }
        Logger.warn("an MQTT acknowledgement was refused: {}", reason);
        journal.accept(new TherapyEvent("remote-ack-refused", clock.instant(), clock.nanos(), "mqtt", details));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
