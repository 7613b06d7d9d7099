package org.openitb.sim;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.Optional;
import org.openitb.store.OutboxMessage;
import org.openitb.store.PumpStore;
import org.openitb.store.StoreException;

/**
 * The broker as the fault simulator sees it: it takes the telemetry outbox in order while it is
 * up, goes down and comes back, and checks what it receives on {@code alarm}: sequence numbers
 * +1 per event across restarts, nothing missing, nothing twice.
 */
final class SimulatedBroker {

    private final Duration unreachableAfter;
    private boolean up = true;
    private long downSinceNanos;
    private long lastPlace;
    private long lastAlarmSeq;
    private long alarmsReceived;
    private long messagesReceived;
    private int outages;

    SimulatedBroker(Duration unreachableAfter) {
        this.unreachableAfter = unreachableAfter;
    }

    /** Why the pump cannot reach the broker, once that has lasted {@code mqtt.unreachable-after}; as the publisher reports it. */
    Optional<String> problem(long elapsedNanos) {
        if (up || elapsedNanos - downSinceNanos < unreachableAfter.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("connection refused (a simulated outage)");
    }

    void down(long elapsedNanos) {
        if (up) {
            up = false;
            downSinceNanos = elapsedNanos;
            outages++;
        }
    }

    void up() {
        up = true;
    }

    boolean isUp() {
        return up;
    }

    /** Takes everything waiting in {@code store}'s outbox, if the broker is up. */
    void drain(PumpStore store) throws StoreException {
        if (!up) {
            return;
        }
        while (true) {
            var batch = store.outboxAfter(lastPlace, PumpStore.OUTBOX_READ_LIMIT);
            if (batch.isEmpty()) {
                return;
            }
            for (OutboxMessage m : batch) {
                receive(m);
                lastPlace = m.seq();
            }
            store.sent(lastPlace);
        }
    }

    private void receive(OutboxMessage m) {
        messagesReceived++;
        if (!m.topic().endsWith("/alarm")) {
            return;
        }
        JsonObject alarm = JsonParser.parseString(m.payload()).getAsJsonObject();
        long seq = alarm.get("seq").getAsLong();
        if (seq != lastAlarmSeq + 1) {
            throw new Invariants.Violation("alarm seq " + seq + " received after " + lastAlarmSeq + ": "
                    + (seq <= lastAlarmSeq ? "a duplicate or a step back" : "a gap, " + (seq - lastAlarmSeq - 1) + " lost") + ": " + m.payload());
        }
        lastAlarmSeq = seq;
        alarmsReceived++;
    }

    long alarmsReceived() {
        return alarmsReceived;
    }

    long messagesReceived() {
        return messagesReceived;
    }

    int outages() {
        return outages;
    }
}
