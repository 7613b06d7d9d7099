package org.openitb.alarm;

import java.util.Locale;

/** Where an alarm stands in its life cycle: raised → acknowledged → cleared. */
public enum AlarmState {
    /** Annunciating, waiting for someone to acknowledge it. */
    RAISED,
    /** Someone acknowledged it: silenced for a while; it re-annunciates if its condition outlasts the silence. */
    ACKNOWLEDGED,
    /** Over: its condition is gone and, if it latches, it was acknowledged. */
    CLEARED;

    /** As the contract writes it: {@code raised}, {@code acknowledged}, {@code cleared}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlarmState ofWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
