package org.openitb.telemetry;

import java.util.Objects;

/**
 * The topics of one pump under {@code openitb/<pumpId>/}: what it publishes (status, state, alarm,
 * event) and the one it reads ({@code cmd/ack}).
 */
public record Topics(String pumpId) {

    public static final String ROOT = "openitb";

    public Topics {
        Objects.requireNonNull(pumpId, "pumpId");
        if (pumpId.isEmpty() || pumpId.contains("/") || pumpId.contains("+") || pumpId.contains("#")) {
            throw new IllegalArgumentException("a pump id cannot be a topic level: \"" + pumpId + "\"");
        }
    }

    public String base() {
        return ROOT + "/" + pumpId + "/";
    }

    /** Retained {@code online}, or {@code offline} (the Last Will). */
    public String status() {
        return base() + "status";
    }

    /** Retained snapshot: the {@code status --json} fields and a few for dashboards. */
    public String state() {
        return base() + "state";
    }

    /** Alarm events, QoS 1, from the durable outbox. */
    public String alarm() {
        return base() + "alarm";
    }

    /** Journal events, QoS 1, from the durable outbox; refused remote acknowledgements are answered here. */
    public String event() {
        return base() + "event";
    }

    /** Where monitors acknowledge alarms. */
    public String ackCommand() {
        return base() + "cmd/ack";
    }

    /** Everything the pump publishes, for a monitor. */
    public String all() {
        return base() + "#";
    }
}
