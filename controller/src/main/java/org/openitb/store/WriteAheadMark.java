package org.openitb.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openitb.clock.Clock;
import org.openitb.delivery.WriteAheadHealth;

/**
 * The write-ahead record of delivery: a durable count of microsteps that may have been emitted,
 * kept by its own lane ({@link MarkLane}). Before step k the dose loop asks for the mark to reach
 * what the plan reaches by the time a commit could land (the horizon), never more than the bound
 * beyond k; it asks again once half of that is used. It never waits: if the disk is slower than the
 * bound allows, the step goes out uncovered and is counted, for status, the alarm and the safe-side
 * booking after a crash (the record carries the largest uncovered run, {@link #uncoveredPeak()}).
 * Only under a clock that waits for the loop (a simulation) may it wait, for at most
 * {@code waitNanos} of real time: there, waiting costs simulated time nothing.
 */
final class WriteAheadMark {

    private final AtomicLong requested;
    private final Runnable wakeLane;
    private final long boundMicrosteps;
    private volatile long durable;
    /** The last microstep the loop cleared; dose loop only writes it. */
    private volatile long emitted;
    private volatile long uncoveredSteps;
    private volatile long uncoveredPeak;
    private volatile long beyondBoundSteps;
    private volatile long latencyNanos;
    private final Clock realClock;
    private final long waitNanos;
    private volatile Thread waiter;

    /**
     * @param start           the count the mark starts at (what a previous run may have reached)
     * @param boundMicrosteps the most the mark may run ahead of the steps emitted, at least 1
     * @param wakeLane        tells the lane a higher mark is wanted; must not block
     */
    WriteAheadMark(long start, long boundMicrosteps, Runnable wakeLane) {
        this(start, boundMicrosteps, wakeLane, null, 0);
    }

    /** As {@link #WriteAheadMark(long, long, Runnable)}, a step waiting up to {@code waitNanos} of {@code realClock} for its cover. */
    WriteAheadMark(long start, long boundMicrosteps, Runnable wakeLane, Clock realClock, long waitNanos) {
        if (waitNanos < 0 || (waitNanos > 0 && realClock == null)) {
            throw new IllegalArgumentException("a wait needs a clock and must not be negative");
        }
        this.realClock = realClock;
        this.waitNanos = waitNanos;
        if (boundMicrosteps < 1) {
            throw new IllegalArgumentException("the write-ahead bound must be at least one microstep, got " + boundMicrosteps);
        }
        this.durable = start;
        this.emitted = start;
        this.requested = new AtomicLong(start);
        this.boundMicrosteps = boundMicrosteps;
        this.wakeLane = wakeLane;
    }

    /**
     * On the dose loop, before microstep {@code k}: asks for cover up to {@code horizon} (within the
     * bound); never waits. {@code renewBy} is what the plan reaches while a commit and a half could
     * land: with less cover left than that, or than half of what is reserved, it asks again, so a
     * commit lands before the cover runs out whatever the bound cuts off, and fast commits are asked
     * for rarely.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // its counters have one writer, this thread; volatile only for readers
    void beforeStep(long k, long horizon, long renewBy) {
        long reserve = Math.min(Math.max(k, horizon), k - 1 + boundMicrosteps);
        long d = durable;
        long threshold = Math.max((reserve - k + 1) / 2, Math.max(k, renewBy) - k + 1);
        if (d - k < threshold) {
            ask(reserve);
        }
        if (k > d && waitNanos > 0) {
            d = awaitCover(k);
        }
        if (k > d) {
            uncoveredSteps++; // only this thread writes it
            if (k - d > uncoveredPeak) {
                uncoveredPeak = k - d;
            }
            if (k - d > boundMicrosteps) {
                beyondBoundSteps++;
            }
        }
        emitted = k;
    }

    /** On the dose loop, for a new plan: asks for cover up to {@code through}, within the bound of the steps emitted. Never waits. */
    void reserve(long through) {
        ask(Math.min(through, emitted + boundMicrosteps));
    }

    /** Asks the lane for {@code reserve}, unless it is on disk or asked for already. */
    private void ask(long reserve) {
        if (reserve > durable && requested.get() < reserve) {
            requested.accumulateAndGet(reserve, Math::max);
            wakeLane.run();
        }
    }

    private long awaitCover(long k) {
        long deadline = realClock.nanos() + waitNanos;
        waiter = Thread.currentThread();
        try {
            while (k > durable && realClock.nanos() - deadline < 0) {
                realClock.parkUntil(deadline);
            }
        } finally {
            waiter = null;
        }
        return durable;
    }

    /** On the lane: the mark to write next, or -1 if the durable one is current. */
    long pending() {
        long r = requested.get();
        return r > durable ? r : -1;
    }

    /** On the lane: {@code mark} is on disk. */
    void durable(long mark) {
        durable = Math.max(durable, mark);
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** On the lane: the slowest recent commit, real ns. */
    void latency(long nanos) {
        latencyNanos = nanos;
    }

    long durable() {
        return durable;
    }

    /** The last microstep the loop cleared. */
    long emitted() {
        return emitted;
    }

    long latencyNanos() {
        return latencyNanos;
    }

    long boundMicrosteps() {
        return boundMicrosteps;
    }

    /** The most microsteps that were beyond the durable mark at once, since start. */
    long uncoveredPeak() {
        return uncoveredPeak;
    }

    WriteAheadHealth health() {
        long d = durable;
        long e = emitted;
        return new WriteAheadHealth(latencyNanos, boundMicrosteps, Math.max(0, d - e), Math.max(0, e - d), uncoveredSteps, uncoveredPeak,
                beyondBoundSteps);
    }
}
