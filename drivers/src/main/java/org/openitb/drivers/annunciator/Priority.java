package org.openitb.drivers.annunciator;

/** Alarm priority in the sense of IEC 60601-1-8; a higher one supersedes a lower one on the annunciator. */
public enum Priority {
    NONE,
    LOW,
    MEDIUM,
    HIGH;

    /** The higher of two priorities. */
    public Priority max(Priority other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
