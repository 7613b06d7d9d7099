package org.openitb.clock;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/** The real clock: {@link System#nanoTime()} for monotonic time, the system wall clock in a given zone. */
public final class SystemClock implements Clock {

    private final java.time.Clock wall;

    public SystemClock(ZoneId zone) {
        this.wall = java.time.Clock.system(Objects.requireNonNull(zone, "zone"));
    }

    /** The system clock in the machine's default zone. */
    public static SystemClock systemDefaultZone() {
        return new SystemClock(ZoneId.systemDefault());
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return wall.instant();
    }

    @Override
    public ZoneId zone() {
        return wall.getZone();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            LockSupport.parkNanos(this, remaining);
        }
    }

    @Override
    public void spinUntil(long deadlineNanos) {
        while (System.nanoTime() - deadlineNanos < 0) {
            Thread.onSpinWait();
        }
    }
}
