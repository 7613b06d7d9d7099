package org.openitb.delivery;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How late each step was against its deadline, in microseconds: recorded without allocation or
 * locks on the dose loop, read by status from any thread.
 */
public final class StepLateness {

    /** Anything later than an hour is recorded as an hour. */
    private static final long MAX_MICROS = 3_600_000_000L;
    /** Two significant digits: 1 % is finer than any target set on lateness, and the counts stay small (about 25 KB). */
    private static final int DIGITS = 2;

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(MAX_MICROS, DIGITS);
    /**
     * Where a summary reads a steady copy: made once, not per status (a fresh copy per state
     * snapshot was most of what the pump allocated while priming with telemetry going out).
     */
    private final Histogram snapshot = new Histogram(MAX_MICROS, DIGITS);

    void record(long latenessNanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, latenessNanos / 1_000)));
    }

    /** Percentiles so far. */
    public Summary summary() {
        synchronized (snapshot) { // readers only: the dose loop records without it
            histogram.copyInto(snapshot);
            return new Summary(snapshot.getTotalCount(), snapshot.getValueAtPercentile(50), snapshot.getValueAtPercentile(99),
                    snapshot.getValueAtPercentile(99.9), snapshot.getMaxValue());
        }
    }

    /** Step lateness percentiles in microseconds, over {@code steps} steps. */
    public record Summary(long steps, long p50Us, long p99Us, long p999Us, long maxUs) {
    }
}
