package org.openitb.daemon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the daemon tells systemd, decided from the loops' heartbeats: {@code READY=1} once every
 * loop has made a pass (state recovered, dosing running), {@code WATCHDOG=1} only while every loop
 * keeps making passes, and a one-line {@code STATUS=} when it changes. Pure: {@link #tick} reads
 * the heartbeats at a real-time instant and hands out the messages; a thread shell sends them.
 * A loop that hangs is never petted over, so systemd's watchdog kills and restarts the process.
 */
final class ServiceHealth {

    /** A loop's heartbeat: how many passes it has completed. */
    record Heartbeat(String name, LongSupplier passes) {
        Heartbeat {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(passes, "passes");
        }
    }

    /** How often the heartbeats are read (real ns). */
    static final long CHECK_NANOS = 250_000_000L;
    /**
     * A loop without a pass for this long is stalled (real ns). The dose loop passes at least once a
     * second of pump time (its housekeeping), the input loop every sensor poll, so 2 s is a hang.
     */
    static final long STALL_NANOS = 2_000_000_000L;
    /** The shortest systemd watchdog that leaves room to notice a stall before petting (real ns). */
    static final long MIN_WATCHDOG_NANOS = 2 * STALL_NANOS;
    /** A changed summary goes out at most this often (real ns). */
    static final long STATUS_GAP_NANOS = 1_000_000_000L;
    /** systemd keeps STATUS short; so do we. */
    static final int MAX_STATUS_CHARS = 200;

    private final List<Heartbeat> beats;
    private final long[] seen;
    private final long[] movedAtNanos;
    private final Supplier<String> summary;
    private final OptionalLong petEveryNanos;
    private boolean ready;
    private long pettedAtNanos;
    private String statusSent = "";
    private long statusAtNanos;

    /**
     * @param beats the loops that must keep passing
     * @param summary the one-line state of the pump, for STATUS
     * @param watchdogNanos systemd's watchdog interval (WATCHDOG_USEC), if it asked for one; petted at half of it
     * @param startNanos when the daemon started (real ns)
     */
    ServiceHealth(List<Heartbeat> beats, Supplier<String> summary, OptionalLong watchdogNanos, long startNanos) {
        if (beats.isEmpty()) {
            throw new IllegalArgumentException("at least one heartbeat");
        }
        this.beats = List.copyOf(beats);
        this.summary = Objects.requireNonNull(summary, "summary");
        this.petEveryNanos = watchdogNanos.isPresent() ? OptionalLong.of(watchdogNanos.getAsLong() / 2) : OptionalLong.empty();
        this.seen = new long[beats.size()];
        this.movedAtNanos = new long[beats.size()];
        Arrays.fill(movedAtNanos, startNanos);
    }

    /** One look at the heartbeats at {@code now} (real ns); messages go to {@code send}. Returns the next look. */
    long tick(long now, Consumer<String> send) {
        List<String> stalled = new ArrayList<>();
        boolean allPassed = true;
        for (int i = 0; i < seen.length; i++) {
            long passes = beats.get(i).passes().getAsLong();
            if (passes != seen[i]) {
                seen[i] = passes;
                movedAtNanos[i] = now;
            }
            allPassed &= passes > 0;
            long quiet = now - movedAtNanos[i];
            if (quiet > STALL_NANOS) {
                stalled.add(beats.get(i).name() + " " + seconds(quiet));
            }
        }
        if (!ready) {
            if (allPassed && stalled.isEmpty()) {
                ready = true;
                pettedAtNanos = now;
                String status = status(summary.get());
                statusSent = status;
                statusAtNanos = now;
                send.accept("READY=1\nSTATUS=" + status + (petEveryNanos.isPresent() ? "\nWATCHDOG=1" : ""));
            }
            return now + CHECK_NANOS;
        }
        StringBuilder message = new StringBuilder();
        String status;
        if (stalled.isEmpty()) {
            // The summary is a snapshot of the whole pump: built only when a changed one could go out.
            status = now - statusAtNanos >= STATUS_GAP_NANOS ? status(summary.get()) : statusSent;
            if (petEveryNanos.isPresent() && now - pettedAtNanos >= petEveryNanos.getAsLong()) {
                message.append("WATCHDOG=1");
                pettedAtNanos = now;
            }
        } else {
            // No pet: systemd's watchdog runs out and restarts the daemon, unless the loop comes back first.
            status = status("not responding: " + String.join(", ", stalled) + " without a pass; systemd watchdog not fed");
        }
        boolean hangNews = !stalled.isEmpty() && !statusSent.startsWith("not responding");
        if (!status.equals(statusSent) && (hangNews || now - statusAtNanos >= STATUS_GAP_NANOS)) {
            message.append(message.isEmpty() ? "" : "\n").append("STATUS=").append(status);
            statusSent = status;
            statusAtNanos = now;
        }
        if (!message.isEmpty()) {
            send.accept(message.toString());
        }
        return now + CHECK_NANOS;
    }

    boolean ready() {
        return ready;
    }

    /** The message for a clean stop. */
    static String stopping(String why) {
        return "STOPPING=1\nSTATUS=" + status("stopping: " + why);
    }

    private static String status(String text) {
        String line = text.replaceAll("[\\r\\n]+", " ");
        return line.length() <= MAX_STATUS_CHARS ? line : line.substring(0, MAX_STATUS_CHARS - 3) + "...";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
