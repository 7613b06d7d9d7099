package org.openitb.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The real clock: {@link System#nanoTime()} for monotonic time, the system wall clock in a given
 * zone; whether that wall clock is synchronised comes from a probe of the kernel (given by the
 * caller, which has the native access), the time since boot from {@code /proc/uptime}.
 */
public final class SystemClock implements Clock {

    private static final Path UPTIME = Path.of("/proc/uptime");

    private final java.time.Clock wall;
    private final Supplier<Optional<Boolean>> synchronised;

    public SystemClock(ZoneId zone) {
        this(zone, Optional::empty);
    }

    /** With {@code synchronised} telling whether the kernel's wall clock is set from a time source (empty: cannot tell). */
    public SystemClock(ZoneId zone, Supplier<Optional<Boolean>> synchronised) {
        this.wall = java.time.Clock.system(Objects.requireNonNull(zone, "zone"));
        this.synchronised = Objects.requireNonNull(synchronised, "synchronised");
    }

    @Override
    public WallClockState wallClockState() {
        return new WallClockState(synchronised.get(), uptime());
    }

    /** Seconds since boot, the first field of /proc/uptime (Linux); empty elsewhere or on a read error. */
    private static Optional<Duration> uptime() {
        try {
            String first = Files.readString(UPTIME).trim().split("\\s+")[0];
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(first) * 1_000)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
