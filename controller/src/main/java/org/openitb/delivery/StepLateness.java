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

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);

    void record(long latenessNanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, latenessNanos / 1_000)));
    }

    /** Percentiles so far. */
    public Summary summary() {
        Histogram copy = histogram.copy();
        return new Summary(copy.getTotalCount(), copy.getValueAtPercentile(50), copy.getValueAtPercentile(99),
                copy.getValueAtPercentile(99.9), copy.getMaxValue());
    }

    /** Step lateness percentiles in microseconds, over {@code steps} steps. */
    public record Summary(long steps, long p50Us, long p99Us, long p999Us, long maxUs) {
    }
}
