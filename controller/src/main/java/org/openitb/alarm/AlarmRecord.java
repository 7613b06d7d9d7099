package org.openitb.alarm;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alarm as the store keeps it across restarts: its id, type, priority, where it stands in its
 * life cycle (raised, acknowledged, cleared), when it was raised and last changed, and its details.
 * The store gives these no meaning; the alarm supervisor does.
 */
public record AlarmRecord(String id, String type, String priority, String state, Instant raisedAt, Instant changedAt,
        Map<String, Object> details) {

    /** Longest id, type, priority or state accepted. */
    public static final int NAME_LIMIT = 64;

    public AlarmRecord {
        for (String name : new String[] {id, type, priority, state}) {
            Objects.requireNonNull(name, "alarm fields");
            if (name.isBlank() || name.length() > NAME_LIMIT) {
                throw new IllegalArgumentException("alarm field '" + name + "' must be 1 to " + NAME_LIMIT + " characters");
            }
        }
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(changedAt, "changedAt");
        details = Map.copyOf(details);
    }

    /** Whether the alarm is over: cleared alarms are history, the others come back after a restart. */
    public boolean cleared() {
        return "cleared".equals(state);
    }
}
