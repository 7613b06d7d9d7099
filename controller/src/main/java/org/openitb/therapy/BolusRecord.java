package org.openitb.therapy;

import java.util.Objects;

/** A bolus as the 24 h limits see it: when it started (monotonic ns), how much, and what kind. */
public record BolusRecord(long startNanos, Dose dose, BolusKind kind) {
    public BolusRecord {
        Objects.requireNonNull(dose, "dose");
        Objects.requireNonNull(kind, "kind");
    }
}
