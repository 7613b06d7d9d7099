package org.openitb.alarm;

import java.util.Locale;
import java.util.Objects;

/**
 * A transition of one alarm, as it is journaled and handed to telemetry: the alarm as it stands
 * after it, what happened and who made it happen.
 */
public record AlarmEvent(Transition transition, Alarm alarm, String who) {

    /** What happened to the alarm. */
    public enum Transition {
        RAISED,
        ACKNOWLEDGED,
        /** Its silence ran out with its condition still present: it sounds again and must be acknowledged again. */
        REANNUNCIATED,
        /** Its priority or its withdrawal-risk level rose. */
        ESCALATED,
        /** Its condition ended while it stays latched (raised) until acknowledged: the remote side learns the cause is gone. */
        CONDITION_ENDED,
        /** Its condition came back while it was still latched from before. */
        CONDITION_RETURNED,
        /** What it says was corrected (a restart's gap, once the wall clock could be believed): read it again. */
        UPDATED,
        CLEARED;

        /** As telemetry and the journal write it, e.g. {@code raised}, {@code condition-ended}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The journal type of this transition, e.g. {@code alarm-raised}. */
        public String journalType() {
            return "alarm-" + wire();
        }
    }

    public AlarmEvent {
        Objects.requireNonNull(transition, "transition");
        Objects.requireNonNull(alarm, "alarm");
        Objects.requireNonNull(who, "who");
    }
}
