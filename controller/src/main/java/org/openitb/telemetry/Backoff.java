package org.openitb.telemetry;

import java.time.Duration;

/**
 * When to try connecting again: at once for the first attempt (and after a lost connection), then
 * after 1 s, 2 s, 4 s... up to a cap; back to 1 s once an attempt succeeds. Times are monotonic
 * nanoseconds of whatever clock the caller runs on. Shared by the pump's publisher and the monitor.
 */
public final class Backoff {

    static final long MIN_NANOS = 1_000_000_000L;

    private final long maxNanos;
    private long waitNanos = MIN_NANOS;
    private long nextNanos;

    /** @param max the longest wait; the first attempt is due at {@code now} */
    public Backoff(Duration max, long now) {
        this.maxNanos = Math.max(MIN_NANOS, max.toNanos());
        this.nextNanos = now;
    }

    /** Whether an attempt is due at {@code now}. */
    public boolean due(long now) {
        return now - nextNanos >= 0;
    }

    /** When the next attempt is due. */
    public long nextNanos() {
        return nextNanos;
    }

    /** An attempt at {@code now} failed: the next waits longer. Returns how long it waits, in ns. */
    public long failed(long now) {
        long wait = waitNanos;
        nextNanos = now + wait;
        waitNanos = Math.min(waitNanos * 2, maxNanos);
        return wait;
    }

    /** An attempt succeeded: the next failure waits the least again. */
    public void succeeded() {
        waitNanos = MIN_NANOS;
    }

    /** A connection was lost at {@code now}: try again at once. */
    public void retryNow(long now) {
        nextNanos = now;
    }
}
