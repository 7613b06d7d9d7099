package org.openitb.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openitb.accuracy.TestRefused;
import org.openitb.accuracy.TestStatus;
import org.openitb.alarm.AlarmJson;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.clock.Clock;
import org.openitb.clock.SystemClock;
import org.openitb.clock.Waits;
import org.openitb.delivery.DeliveryController;
import org.openitb.journal.JournalEntry;
import org.openitb.store.PumpStore;
import org.openitb.store.StoreException;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Volume;
import org.tinylog.Logger;

/** Answers control requests: one request line in, one response object out, never an exception. */
public final class ControlService {

    /** The dose loop answers in milliseconds; this long means it is stuck. */
    static final long COMMAND_TIMEOUT_SECONDS = 10;
    /** How much longer than that a client waits for the answer to a therapy command the loop took up in time. */
    static final long ANSWER_MARGIN_SECONDS = 2;

    private final String pumpId;
    private final DeliveryController controller;
    private final AlarmSupervisor supervisor;
    private final Optional<FaultInjector> faults;
    private final Optional<AccuracyControl> accuracy;
    private final Optional<PumpStore> store;
    private final Volume perMicrostep;
    private final long speed;
    /** How long an applied change waits to be on disk before the answer says it is not (real time). */
    static final Duration DURABLE_WAIT = Duration.ofSeconds(2);

    public ControlService(String pumpId, DeliveryController controller, AlarmSupervisor supervisor, Optional<FaultInjector> faults, Optional<PumpStore> store,
            Volume perMicrostep, long speed) {
        this(pumpId, controller, supervisor, faults, store, perMicrostep, speed, Optional.empty());
    }

    /** As above, with the gravimetric test the {@code accuracy} verb drives, where the pump has a balance. */
    public ControlService(String pumpId, DeliveryController controller, AlarmSupervisor supervisor, Optional<FaultInjector> faults, Optional<PumpStore> store,
            Volume perMicrostep, long speed, Optional<AccuracyControl> accuracy) {
        this.accuracy = Objects.requireNonNull(accuracy, "accuracy");
        this.store = Objects.requireNonNull(store, "store");
        this.pumpId = Objects.requireNonNull(pumpId, "pumpId");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.perMicrostep = Objects.requireNonNull(perMicrostep, "perMicrostep");
        this.speed = speed;
    }

    /** Handles one request line from {@code who}. */
    public JsonObject handle(String line, String who) {
        try {
            Requests.Request request = Requests.parse(Json.parse(line), who);
            return switch (request) {
                case Requests.Status s -> ok(StatusJson.of(pumpId, controller.status(), supervisor.view(), perMicrostep, speed));
                case Requests.Alarms a -> alarms();
                case Requests.Ack a -> ack(a);
                case Requests.Therapy t -> therapy(t);
                case Requests.Sim s -> sim(s, who);
                case Requests.History h -> history(h);
                case Requests.Accuracy a -> accuracy(a);
            };
        } catch (ProtocolException e) {
            return error(2, e.getMessage());
        } catch (RuntimeException e) {
            Logger.error(e, "control request failed");
            return error(1, "failed: " + e);
        }
    }

    private JsonObject therapy(Requests.Therapy t) {
        CommandResult result;
        try {
            // The loop refuses the command once its sender has stopped waiting; the wait lasts a little
            // longer, so an answer always comes back for a command the loop took up in time.
            result = await(controller.submit(t.request(), Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS * Math.max(1, speed))),
                    "the dose loop", COMMAND_TIMEOUT_SECONDS + ANSWER_MARGIN_SECONDS, "; the command will not be applied later");
        } catch (Unanswered e) {
            return e.error;
        }
        String message = result.message();
        if (result.outcome() == CommandResult.Outcome.APPLIED && store.isPresent() && !store.get().flush(DURABLE_WAIT)) {
            // In force and delivering either way; the operator must know a crash now could forget it.
            message += "; NOT YET SAVED: " + store.get().failure().orElse("the disk is slow") + " (kept in memory, saved when the disk takes writes)";
        }
        JsonObject o = new JsonObject();
        boolean refused = result.outcome() == CommandResult.Outcome.REFUSED;
        o.addProperty("ok", !refused);
        if (refused) {
            o.addProperty("code", 2);
            o.addProperty("error", result.message());
        }
        o.addProperty("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        o.addProperty("message", message);
        o.add("before", Json.array(result.before()));
        o.add("after", Json.array(result.after()));
        o.addProperty("revision", result.revision());
        return o;
    }

    private JsonObject alarms() {
        AlarmSupervisor.View view = supervisor.view();
        JsonArray list = new JsonArray();
        view.open().forEach(a -> list.add(AlarmJson.of(pumpId, a)));
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.add("alarms", list);
        o.add("withdrawalRisk", StatusJson.risk(view.risk()));
        return o;
    }

    private JsonObject ack(Requests.Ack a) {
        AlarmSupervisor.AckResult result;
        try {
            result = await(supervisor.acknowledge(a.id(), a.who()), "the alarm supervisor", COMMAND_TIMEOUT_SECONDS, "");
        } catch (Unanswered e) {
            return e.error;
        }
        if (!result.ok()) {
            return error(2, result.message());
        }
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.addProperty("outcome", "applied");
        o.addProperty("message", result.message());
        result.alarm().ifPresent(al -> o.add("alarm", AlarmJson.of(pumpId, al)));
        return o;
    }

    private JsonObject sim(Requests.Sim s, String who) throws ProtocolException {
        FaultInjector plant = faults.orElseThrow(() -> new ProtocolException("sim works only on the simulated bench (simulate), not on real hardware"));
        Instant at = plant.inject(s.fault());
        Logger.info("sim {} by {}", s.fault().words(), who);
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.addProperty("outcome", "applied");
        o.addProperty("message", "sim " + s.fault().words());
        o.addProperty("at", at.toString()); // on the pump's clock, so a test can time what follows in simulated time
        return o;
    }

    private JsonObject accuracy(Requests.Accuracy request) throws ProtocolException {
        AccuracyControl tests = accuracy.orElseThrow(() -> new ProtocolException(
                "this pump has no balance for an accuracy test: set balance.port in the config (the simulated bench brings its own)"));
        try {
            Optional<TestStatus> status = switch (request) {
                case Requests.AccuracyStart s -> Optional.of(tests.start(s.name(), s.choices(), s.who()));
                case Requests.AccuracyStatus s -> tests.status();
                case Requests.AccuracyStop s -> Optional.of(tests.stop(s.who()));
            };
            JsonObject o = new JsonObject();
            o.addProperty("ok", true);
            status.ifPresent(t -> o.add("test", AccuracyJson.of(t)));
            return o;
        } catch (TestRefused e) {
            return error(2, e.getMessage());
        }
    }

    private JsonObject history(Requests.History h) throws ProtocolException {
        PumpStore s = store.orElseThrow(() -> new ProtocolException("the pump keeps no journal: its database is not available"));
        List<JournalEntry> entries;
        try {
            entries = s.history(h.limit());
        } catch (StoreException e) {
            return error(1, e.getMessage());
        }
        JsonArray list = new JsonArray();
        for (JournalEntry e : entries) {
            JsonObject o = new JsonObject();
            o.addProperty("seq", e.seq());
            o.addProperty("at", e.at().toString());
            o.addProperty("type", e.type());
            o.addProperty("who", e.who());
            o.add("details", e.details());
            // The details are also given at the top level, as the contract reads them ("each with at, type and its details").
            e.details().entrySet().stream().filter(d -> !o.has(d.getKey())).forEach(d -> o.add(d.getKey(), d.getValue()));
            list.add(o);
        }
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.add("history", list);
        return o;
    }

    /** A loop that did not answer a request handed to it: the error to send back instead. */
    private static final class Unanswered extends Exception {
        final transient JsonObject error;

        Unanswered(JsonObject error) {
            super(error.get("error").getAsString(), null, false, false);
            this.error = error;
        }
    }

    /** Answers are waited for in real time, whatever clock the pump runs on. */
    private static final Clock REAL = new SystemClock(ZoneOffset.UTC);

    /** Waits for {@code loop}'s answer, at most {@code seconds}. */
    private static <T> T await(CompletableFuture<T> answer, String loop, long seconds, String note) throws Unanswered {
        try {
            return Waits.get(answer, REAL, TimeUnit.SECONDS.toNanos(seconds));
        } catch (TimeoutException e) {
            throw new Unanswered(error(1, loop + " did not answer within " + seconds + " s" + note));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unanswered(error(1, "interrupted"));
        } catch (ExecutionException e) {
            throw new Unanswered(error(1, "failed: " + e.getCause()));
        }
    }

    private static JsonObject ok(JsonObject status) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.add("status", status);
        return o;
    }

    static JsonObject error(int code, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("code", code);
        o.addProperty("error", message.replaceAll("[\\r\\n]+", " "));
        return o;
    }
}
