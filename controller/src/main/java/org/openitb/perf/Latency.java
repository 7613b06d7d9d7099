package org.openitb.perf;

import org.HdrHistogram.Histogram;

/** Percentiles of a set of latencies, in microseconds (or any unit the caller records in). */
public record Latency(long count, long p50, long p99, long p999, long max) {

    /** Anything above an hour is recorded as an hour. */
    private static final long HIGHEST = 3_600_000_000L;

    /** A histogram to record into: values from 0 to an hour in µs, three significant digits. */
    public static Histogram histogram() {
        return new Histogram(HIGHEST, 3);
    }

    /** Records {@code value}, clamped into the histogram's range. */
    public static void record(Histogram h, long value) {
        h.recordValue(Math.max(0, Math.min(HIGHEST, value)));
    }

    /** How many recorded values exceed {@code value} (exactly, below 1000; to three digits above). */
    public static long countAbove(Histogram h, long value) {
        return h.getTotalCount() - h.getCountBetweenValues(0, value);
    }

    public static Latency of(Histogram h) {
        return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue());
    }
}
