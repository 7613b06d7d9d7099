package org.openitb.clock;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The system clock run {@code speed} times fast, for {@code simulate --speed N}: one real second
 * is N simulated seconds, for monotonic and wall time alike, starting from the real wall time.
 * Parking waits the scaled-down real time; spinning spins on real time.
 */
public final class ScaledClock implements Clock {

    /** Faster than this and a microstep pulse would be shorter than a nanosecond of real time. */
    public static final long MAX_SPEED = 100_000;

    private final long speed;
    private final long realOrigin;
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
        if (speed < 1 || speed > MAX_SPEED) {
            throw new IllegalArgumentException("speed must be from 1 to " + MAX_SPEED + ", got " + speed);
        }
        this.speed = speed;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.realOrigin = System.nanoTime();
        this.epochNanosAtOrigin = Math.addExact(Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano());
    }

    public long speed() {
        return speed;
    }

    /** Simulated nanoseconds since this clock was made. */
    @Override
    public long nanos() {
        return Math.multiplyExact(System.nanoTime() - realOrigin, speed);
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

    @Override
    public void spinUntil(long deadlineNanos) {
        while (nanos() - deadlineNanos < 0) {
            Thread.onSpinWait();
        }
    }
}
