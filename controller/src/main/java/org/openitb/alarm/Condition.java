package org.openitb.alarm;

import java.util.Map;
import java.util.Objects;
import org.openitb.drivers.annunciator.Priority;

/**
 * A condition found present at one tick: what it is, about what, how urgent now, and what a
 * person should read. A momentary one (a restart, a refill that did not add up) is an event, not a
 * state: its alarm is raised with no condition present, so it stays until acknowledged and no
 * "condition ended" follows it.
 */
record Condition(AlarmType type, String subject, Priority priority, String message, Map<String, Object> details, boolean momentary) {

    Condition(AlarmType type, String subject, Priority priority, String message, Map<String, Object> details) {
        this(type, subject, priority, message, details, false);
    }

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

    /** Something that happened at one moment, told once under its own {@code subject}. */
    static Condition moment(AlarmType type, String subject, String message, Map<String, Object> details) {
        return new Condition(type, subject, type.priority(), message, details, true);
    }

    String key() {
        return Alarm.key(type, subject);
    }
}
