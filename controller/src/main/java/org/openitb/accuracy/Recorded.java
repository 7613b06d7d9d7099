package org.openitb.accuracy;

import java.util.Objects;
import java.util.Optional;
import org.openitb.drivers.balance.BalanceReading;

/**
 * One read of a test, as its record keeps it: when, and what the balance said (a weight or why
 * there was none). Every read is recorded, faults too: a gap in a test is never silent.
 *
 * @param elapsedNanos since the test started
 * @param reading      the balance's reply
 */
public record Recorded(long elapsedNanos, BalanceReading reading) {

    public Recorded {
        Objects.requireNonNull(reading, "reading");
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("a read before the test started: " + elapsedNanos + " ns");
        }
    }

    /** The reading the analysis uses, if the balance gave a stable weight. */
    public Optional<Reading> stable() {
        return reading.stable() ? Optional.of(new Reading(elapsedNanos, reading.grams().orElseThrow().doubleValue()))
                : Optional.empty();
    }
}
