package org.openitb.perf;

import java.util.function.LongConsumer;

/**
 * Keeps the times of STEP rising edges, as a simulated twin reports them on the stepping thread:
 * one writer, no allocation, no lock, so the probe costs the loop it watches next to nothing.
 */
public final class RiseRecorder implements LongConsumer {

    /** The most edges one recorder keeps: 10 minutes at 2 kHz. */
    public static final int MAX_RISES = 1_200_000;

    private final long[] rises;
    private volatile int count;
    private volatile long beyond;

    /** Keeps up to {@code capacity} edges, 1 to {@link #MAX_RISES}; later ones are only counted. */
    public RiseRecorder(int capacity) {
        if (capacity < 1 || capacity > MAX_RISES) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 1.." + MAX_RISES);
        }
        this.rises = new long[capacity];
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer, the stepping thread; volatile only for readers
    public void accept(long riseNanos) {
        int n = count;
        if (n < rises.length) {
            rises[n] = riseNanos;
            count = n + 1;
        } else {
            beyond++;
        }
    }

    /** Edges kept so far (exact once the stepping thread has stopped). */
    public int recorded() {
        return count;
    }

    /** Edges seen beyond the capacity, not kept. */
    public long overflow() {
        return beyond;
    }

    /** The {@code i}-th edge kept (0-based), monotonic ns. */
    public long rise(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("edge " + i + " of " + count);
        }
        return rises[i];
    }

    /** How many kept edges happened at or before {@code nanos}. */
    public int until(long nanos) {
        int lo = 0;
        int hi = count;
        while (lo < hi) { // edges arrive in time order
            int mid = (lo + hi) >>> 1;
            if (rises[mid] - nanos <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
