package org.openitb.clock;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The system clock run {@code speed} times fast, for {@code simulate --speed N}: one real second
 * is N simulated seconds, for monotonic and wall time alike, starting from the real wall time.
 * Parking waits the scaled-down real time; spinning spins on real time.
 *
 * <p>A busy host makes the simulation slower, never wrong: a loop that paces the clock
 * ({@link #pace}) and is more than {@link #lagNanos()} late (20 ms of real time, at most 5 s of
 * simulated time) holds simulated time back until it runs, for at most {@link #MAX_HOLD_REAL_NANOS} at a stretch (a loop that hangs
 * for longer is a hang, and the watchdogs must see it).
 */
public final class ScaledClock implements Clock {

    /** Faster than this and a microstep pulse would be shorter than a nanosecond of real time. */
    public static final long MAX_SPEED = 100_000;

    /** How late (real time) a pacing loop may be before simulated time waits for it, at low speeds. */
    public static final long MAX_LAG_REAL_NANOS = 20_000_000L;
    /**
     * How late (simulated time) a pacing loop may be, whatever the speed: 20 ms of real time is 72 s
     * at 3600x, longer than the pump has to raise an occlusion alarm, and a simulation that let its
     * loops fall that far behind would show a slow pump where there was only a busy host.
     */
    public static final long MAX_LAG_NANOS = 5_000_000_000L;
    /** The longest simulated time stands still for one late loop, real time. */
    public static final long MAX_HOLD_REAL_NANOS = 5_000_000_000L;
    private static final long NOT_HOLDING = Long.MIN_VALUE;
    private static final int MAX_LOOPS = 8;

    private final long speed;
    private final long lagNanos;
    private final long maxHoldRealNanos;
    private final long realOrigin;
    /** Simulated time given up to late loops so far. */
    private final AtomicLong held = new AtomicLong();
    /**
     * The latest time handed out: a reader whose real-time reading went stale (preempted before it
     * read {@link #held}, which another thread's hold raised meanwhile) would otherwise see time go back.
     */
    private final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);
    /** The latest simulated time the loops allow: the earliest due plus the lag; Long.MAX_VALUE if none paces. */
    private volatile long cap = Long.MAX_VALUE;
    private volatile long holdingSinceReal = NOT_HOLDING;
    /** A cap held for the longest stretch already: time runs past it (until the loops set another). */
    private volatile long releasedCap = Long.MIN_VALUE;
    private final long[] dues = new long[MAX_LOOPS];
    /** The thread each loop last said its due time from: its own spins are not waits for it. */
    private final Thread[] owners = new Thread[MAX_LOOPS];
    private int loops;
    private final long epochNanosAtOrigin;
    private final ZoneId zone;

    /** Starts at the real wall time. */
    public ScaledClock(long speed, ZoneId zone) {
        this(speed, zone, Instant.now());
    }

    /**
     * Starts at wall time {@code start}: a restarted simulation goes on from where its last run's
     * simulated clock stood, plus the real downtime times the speed.
     */
    public ScaledClock(long speed, ZoneId zone, Instant start) {
        this(speed, zone, start, MAX_HOLD_REAL_NANOS);
    }

    /** As {@link #ScaledClock(long, ZoneId, Instant)}, holding for a late loop at most {@code maxHoldRealNanos} at a stretch. */
    ScaledClock(long speed, ZoneId zone, Instant start, long maxHoldRealNanos) {
        this.maxHoldRealNanos = maxHoldRealNanos;
        if (speed < 1 || speed > MAX_SPEED) {
            throw new IllegalArgumentException("speed must be from 1 to " + MAX_SPEED + ", got " + speed);
        }
        this.speed = speed;
        this.lagNanos = Math.min(MAX_LAG_REAL_NANOS * speed, MAX_LAG_NANOS);
        this.zone = Objects.requireNonNull(zone, "zone");
        this.realOrigin = System.nanoTime();
        this.epochNanosAtOrigin = Math.addExact(Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano());
    }

    public long speed() {
        return speed;
    }

    /** Simulated nanoseconds since this clock was made, less what late loops held back. */
    @Override
    public long nanos() {
        return latest.accumulateAndGet(governed(), Math::max);
    }

    private long governed() {
        long real = System.nanoTime();
        while (true) {
            long h = held.get();
            long raw = Math.multiplyExact(real - realOrigin, speed) - h;
            long limit = cap;
            if (raw <= limit || limit == releasedCap) {
                return raw;
            }
            long since = holdingSinceReal;
            if (since == NOT_HOLDING) {
                holdingSinceReal = real;
            } else if (real - since > maxHoldRealNanos) {
                // Held long enough: a loop this late has hung, and time runs on for the watchdogs to see it,
                // from where it stood (the real time since the last reading was held too: no leap).
                if (held.compareAndSet(h, h + (raw - limit))) {
                    releasedCap = limit;
                    return limit;
                }
                continue;
            }
            if (held.compareAndSet(h, h + (raw - limit))) {
                return limit;
            }
        }
    }

    /** How late (simulated ns) a pacing loop may be before simulated time waits for it at this speed. */
    public long lagNanos() {
        return lagNanos;
    }

    /** Simulated time held back for late loops so far, ns. */
    public long heldNanos() {
        return held.get();
    }

    @Override
    public synchronized Pace pace(String loop) {
        if (loops == MAX_LOOPS) {
            throw new IllegalStateException("at most " + MAX_LOOPS + " loops may pace a clock");
        }
        int slot = loops++;
        dues[slot] = Long.MAX_VALUE;
        return new Pace() {
            @Override
            public void due(long wakeNanos) {
                set(slot, wakeNanos, Thread.currentThread());
            }

            @Override
            public void release() {
                set(slot, Long.MAX_VALUE, null);
            }
        };
    }

    private synchronized void set(int slot, long due, Thread owner) {
        dues[slot] = due;
        owners[slot] = owner;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < loops; i++) {
            min = Math.min(min, dues[i]);
        }
        long next = min > Long.MAX_VALUE - lagNanos ? Long.MAX_VALUE : min + lagNanos;
        if (next != cap) {
            cap = next;
            holdingSinceReal = NOT_HOLDING; // the loop that held time has run (another loop's pass does not count)
        }
    }

    private synchronized void running(Thread t) {
        for (int i = 0; i < loops; i++) {
            if (owners[i] == t) {
                set(i, nanos(), t);
                return;
            }
        }
    }

    @Override
    public Instant instant() {
        return instantAt(nanos());
    }

    /** Exact: wall time here is monotonic time from a fixed origin. */
    @Override
    public Instant instantAt(long nanos) {
        long epochNanos = epochNanosAtOrigin + nanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        long remaining = deadlineNanos - nanos();
        if (remaining > 0) {
            LockSupport.parkNanos(this, Math.max(1, remaining / speed));
        }
    }

    /**
     * A loop spinning on this clock (a pulse's width, the last stretch before its deadline) is
     * running, not late: its due time becomes now, or time held for it would never reach what it
     * spins for, until the longest hold gave way (5 s of real time per pulse).
     */
    @Override
    public void spinUntil(long deadlineNanos) {
        running(Thread.currentThread());
        while (nanos() - deadlineNanos < 0) {
            Thread.onSpinWait();
        }
    }
}
