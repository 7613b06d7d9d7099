package org.openitb.telemetry;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongFunction;
import org.openitb.alarm.AlarmEvent;
import org.openitb.alarm.AlarmJson;
import org.openitb.alarm.AlarmType;
import org.openitb.journal.TherapyEvent;
import org.openitb.store.Outbox;
import org.tinylog.Logger;

/**
 * Turns alarm transitions and journal events into the contract's MQTT messages and puts them in
 * the durable outbox. Called on the pump's loops, so it only builds a string and queues it.
 * BROKER_UNREACHABLE stays local: it is about the very channel it would travel on.
 */
public final class TelemetryFeed {

    /** For journal details, null values included; the messages themselves go out by JsonObject.toString, which keeps null fields. */
    private static final Gson DETAILS = new GsonBuilder().serializeNulls().create();

    private final String pumpId;
    private final Topics topics;
    private final Outbox outbox;

    public TelemetryFeed(String pumpId, Outbox outbox) {
        this.pumpId = Objects.requireNonNull(pumpId, "pumpId");
        this.topics = new Topics(pumpId);
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** An alarm transition, on {@code alarm}: id {@code <alarmId>.<seq>} (unique per event, and ack takes it), the alarm's id in {@code alarmId}. */
    public void alarm(AlarmEvent e) {
        if (e.alarm().type() == AlarmType.BROKER_UNREACHABLE) {
            return;
        }
        queue(topics.alarm(), seq -> {
            JsonObject o = AlarmJson.of(pumpId, e.alarm());
            o.addProperty("alarmId", e.alarm().id());
            o.addProperty("id", e.alarm().id() + "." + seq);
            o.addProperty("seq", seq);
            o.addProperty("transition", e.transition().wire());
            o.addProperty("by", e.who());
            return o.toString();
        });
    }

    /** A journal event, on {@code event}, with a random unique id. */
    public void journal(TherapyEvent e) {
        if (e.type().startsWith("alarm-") && AlarmType.BROKER_UNREACHABLE.name().equals(e.details().get("alarm"))) {
            return;
        }
        String id = UUID.randomUUID().toString();
        queue(topics.event(), seq -> {
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("seq", seq);
            o.addProperty("pumpId", pumpId);
            o.addProperty("type", e.type());
            o.addProperty("at", e.at().toString());
            o.addProperty("who", e.who());
            o.add("details", DETAILS.toJsonTree(e.details()));
            return o.toString();
        });
    }

    private void queue(String topic, LongFunction<String> payload) {
        try {
            if (outbox.enqueue(topic, payload).isEmpty()) {
                Logger.warn("a message for {} was lost: the outbox queue is full (storage failing?); receivers will see a gap in seq", topic);
            }
        } catch (IllegalArgumentException e) {
            // Only a journal event with enormous details gets here; it stays in the journal, and the log says why it did not go out.
            Logger.error("a message for {} was not sent: {}", topic, e.getMessage());
        }
    }
}
