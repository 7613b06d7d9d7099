package org.openitb.accuracy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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

    /** The stable weights among {@code reads}, in order: what the analysis uses. */
    public static List<Reading> stable(List<Recorded> reads) {
        return reads.stream().flatMap(r -> r.stable().stream()).toList();
    }

    /** How many of {@code reads} gave no stable weight. */
    public static long faults(List<Recorded> reads) {
        return reads.stream().filter(r -> !r.reading().stable()).count();
    }

    /**
     * How often {@code reads} were made: the median gap between successive reads, to the nearest
     * second (at least one). A late read or a gap does not move a median.
     */
    public static Duration readInterval(List<Recorded> reads) {
        if (reads.size() < 2) {
            throw new IllegalArgumentException("a record of fewer than two reads has no read interval");
        }
        long[] gaps = new long[reads.size() - 1];
        for (int i = 1; i < reads.size(); i++) {
            gaps[i - 1] = reads.get(i).elapsedNanos() - reads.get(i - 1).elapsedNanos();
        }
        Arrays.sort(gaps);
        long seconds = Math.round(gaps[gaps.length / 2] / 1e9);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
