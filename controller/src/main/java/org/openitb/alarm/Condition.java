package org.openitb.alarm;

import java.util.Map;
import java.util.Objects;
import org.openitb.drivers.annunciator.Priority;

/**
 * A condition found present at one tick: what it is, about what, how urgent now, and what a
 * person should read.
 */
record Condition(AlarmType type, String subject, Priority priority, String message, Map<String, Object> details) {

    Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }

    static Condition of(AlarmType type, String message) {
        return new Condition(type, "", type.priority(), message, Map.of());
    }

    static Condition of(AlarmType type, String message, Map<String, Object> details) {
        return new Condition(type, "", type.priority(), message, details);
    }

    String key() {
        return Alarm.key(type, subject);
    }
}
