package org.openitb.alarm;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openitb.drivers.annunciator.Priority;

/**
 * One alarm as the supervisor holds it: immutable, replaced at every transition.
 *
 * @param id               unique per pump, e.g. {@code OCC-MK2A9Q1C}; what {@code ack} names
 * @param type             its condition
 * @param subject          what it is about when a type can concern several things (a sensor's name), else empty
 * @param priority         now (a long suspension escalates)
 * @param state            raised, acknowledged or cleared
 * @param conditionPresent whether its condition still holds (a latched alarm outlives it)
 * @param raisedAt         wall time it was raised
 * @param changedAt        wall time of its last transition
 * @param message          one line for a person
 * @param details          figures of the condition (gap, missed dose, deficit...), flat
 * @param risk             the withdrawal-risk estimate, for withdrawal-relevant alarms
 * @param acknowledgedBy   who acknowledged it, once someone did
 * @param silencedUntilNanos while acknowledged: when it re-annunciates if its condition still holds (monotonic)
 */
public record Alarm(String id, AlarmType type, String subject, Priority priority, AlarmState state, boolean conditionPresent,
        Instant raisedAt, Instant changedAt, String message, Map<String, Object> details, Optional<RiskEstimate> risk,
        Optional<String> acknowledgedBy, long silencedUntilNanos) {

    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(acknowledgedBy, "acknowledgedBy");
    }

    /** High alarms (and its type's latching ones) stay until acknowledged even after their condition cleared. */
    public boolean latches() {
        return priority == Priority.HIGH || type.latches();
    }

    public boolean withdrawalRisk() {
        return type.withdrawalRisk();
    }

    public boolean overdoseRisk() {
        return type.overdoseRisk();
    }

    /** The key a condition is matched on: one open alarm per type and subject. */
    String key() {
        return key(type, subject);
    }

    static String key(AlarmType type, String subject) {
        return subject.isEmpty() ? type.name() : type.name() + "/" + subject;
    }

    Alarm with(AlarmState newState, Instant at) {
        return new Alarm(id, type, subject, priority, newState, conditionPresent, raisedAt, at, message, details, risk, acknowledgedBy,
                silencedUntilNanos);
    }

    /** The same alarm, its last change at {@code at} (a transition that keeps its state). */
    Alarm at(Instant at) {
        return with(state, at);
    }

    Alarm acknowledged(String by, Instant at, long silencedUntil) {
        return new Alarm(id, type, subject, priority, AlarmState.ACKNOWLEDGED, conditionPresent, raisedAt, at, message, details, risk,
                Optional.of(by), silencedUntil);
    }

    Alarm condition(boolean present, Priority newPriority, String newMessage, Map<String, Object> newDetails) {
        return new Alarm(id, type, subject, newPriority, state, present, raisedAt, changedAt, newMessage, newDetails, risk, acknowledgedBy,
                silencedUntilNanos);
    }

    Alarm withRisk(Optional<RiskEstimate> estimate) {
        return new Alarm(id, type, subject, priority, state, conditionPresent, raisedAt, changedAt, message, details, estimate,
                acknowledgedBy, silencedUntilNanos);
    }
}
