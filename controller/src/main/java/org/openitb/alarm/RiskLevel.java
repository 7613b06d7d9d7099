package org.openitb.alarm;

import java.util.Locale;

/** How far the estimated drug level has fallen below what the prescription keeps up, worst last. */
public enum RiskLevel {
    NONE,
    ELEVATED,
    HIGH,
    CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RiskLevel ofWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
