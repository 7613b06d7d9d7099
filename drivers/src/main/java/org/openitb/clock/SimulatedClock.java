package org.openitb.clock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock that moves only when told: tests advance it by hand, and time spent busy-waiting
 * ({@link #spinUntil}) is added to it, so pulse widths come out exact.
 *
 * <p>Wall time is monotonic time plus an offset that {@link #setWallTime} can jump, which is how
 * tests model NTP corrections and operators changing the clock; monotonic time never jumps.
 * Threads parked in {@link #parkUntil} wake when the clock passes their deadline.
 */
public final class SimulatedClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();
    private volatile long wallOffsetNanos;
    private volatile ZoneId zone;
    private final Map<Thread, Long> parked = new ConcurrentHashMap<>();
    /** Whether the simulated machine's wall clock is synchronised, and how long before the clock's start it booted. */
    private volatile boolean synchronised = true;
    private volatile long bootedBeforeNanos;

    /** A clock whose monotonic time starts at 0 and whose wall time starts at {@code wallStart} in {@code zone}. */
    public SimulatedClock(Instant wallStart, ZoneId zone) {
        this.wallOffsetNanos = epochNanos(Objects.requireNonNull(wallStart, "wallStart"));
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** 2026-01-01T00:00:00Z in UTC: a fixed, ordinary starting point for tests that do not care. */
    public static SimulatedClock utc() {
        return new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneId.of("UTC"));
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        return instantAt(nanos.get());
    }

    /** Exact, with the wall offset as it stands now (after any {@link #setWallTime} jump). */
    @Override
    public Instant instantAt(long nanos) {
        long epochNanos = wallOffsetNanos + nanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    /** Synchronised (by default), the machine booted when this clock started unless {@link #bootedBefore} says earlier. */
    @Override
    public WallClockState wallClockState() {
        return new WallClockState(Optional.of(synchronised), Optional.of(Duration.ofNanos(bootedBeforeNanos + nanos.get())));
    }

    /** Says the machine booted {@code before} this clock started (the time a Pi takes to start the daemon). */
    public void bootedBefore(Duration before) {
        this.bootedBeforeNanos = before.toNanos();
    }

    /** Says the wall clock is, or is not, set from a time source (a Pi booting after a power cut, until NTP answers). */
    public void setSynchronised(boolean synchronised) {
        this.synchronised = synchronised;
    }

    /** Moves monotonic and wall time forward together. */
    public void advance(Duration by) {
        advanceNanos(by.toNanos());
    }

    /** Moves monotonic and wall time forward together by {@code byNanos} (not negative). */
    public void advanceNanos(long byNanos) {
        if (byNanos < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + byNanos + " ns");
        }
        nanos.addAndGet(byNanos);
        wakeDue();
    }

    /** Moves time forward to {@code deadlineNanos} if it is not already there. */
    public void advanceTo(long deadlineNanos) {
        nanos.accumulateAndGet(deadlineNanos, Math::max);
        wakeDue();
    }

    /** Jumps the wall clock (as NTP or an operator would) without touching monotonic time. */
    public void setWallTime(Instant wall) {
        wallOffsetNanos = epochNanos(wall) - nanos.get();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        Thread me = Thread.currentThread();
        parked.put(me, deadlineNanos);
        try {
            // Re-check after registering, so an advance racing with us cannot be missed.
            if (nanos.get() - deadlineNanos < 0 && !me.isInterrupted()) {
                LockSupport.park(this);
            }
        } finally {
            parked.remove(me);
        }
    }

    /** Busy time is simulated time: the clock jumps to the deadline at once. */
    @Override
    public void spinUntil(long deadlineNanos) {
        advanceTo(deadlineNanos);
    }

    /** Number of threads currently parked on this clock; lets a test wait until a loop has gone idle. */
    public int parkedThreads() {
        return parked.size();
    }

    private void wakeDue() {
        if (parked.isEmpty()) {
            return; // no lambda made for nobody: a stepping thread's pulse path allocates nothing here
        }
        long now = nanos.get();
        parked.forEach((thread, deadline) -> {
            if (now - deadline >= 0) {
                LockSupport.unpark(thread);
            }
        });
    }

    private static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
