package org.openitb.clock;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The one source of time, injected everywhere: monotonic nanoseconds for dosing and timeouts,
 * zoned wall time for time-of-day schedules and timestamps.
 *
 * <p>Nothing outside this package reads the system clock or sleeps (an architecture test holds
 * that), so tests and {@code simulate} can run days of dosing in milliseconds, deterministically.
 */
public interface Clock {

    /**
     * Monotonic time in nanoseconds from an arbitrary origin. Never goes back and is unaffected by
     * wall-clock changes; compare two readings only by subtraction ({@code a - b < 0}).
     */
    long nanos();

    /** Wall-clock instant. It may jump (NTP, operator, DST has no effect on it), so never measure intervals with it. */
    Instant instant();

    /**
     * The wall instant that goes with monotonic time {@code nanos}, as the two clocks stand now.
     * Clocks that derive wall time from monotonic time answer exactly; the system clock reads both
     * back to back, so its answer carries the jitter of two reads.
     */
    default Instant instantAt(long nanos) {
        long now = nanos();
        return instant().plusNanos(nanos - now);
    }

    /** Time zone of the time-of-day schedules. */
    ZoneId zone();

    /** Whether the wall clock can be believed now, and how long the machine has been up; unknown unless a clock can tell. */
    default WallClockState wallClockState() {
        return WallClockState.UNKNOWN;
    }

    /** Wall time in {@link #zone()}. */
    default ZonedDateTime wallTime() {
        return instant().atZone(zone());
    }

    /**
     * Blocks the calling thread until {@link #nanos()} reaches {@code deadlineNanos}, the thread is
     * unparked ({@link java.util.concurrent.locks.LockSupport#unpark}) or interrupted. It may return
     * early; callers re-check their condition. It never burns a core while waiting.
     */
    void parkUntil(long deadlineNanos);

    /**
     * Busy-waits until {@link #nanos()} reaches {@code deadlineNanos}. Only for the short waits a
     * driver chip needs (pulse widths and setup times of a few microseconds at most) and the last
     * stretch before a step deadline.
     */
    void spinUntil(long deadlineNanos);

    /**
     * Lets the loop named {@code loop} hold this clock back while it is late ({@link Pace}): a
     * simulation's clock waits for a starved loop, within bounds; real time does not.
     */
    default Pace pace(String loop) {
        return Pace.NONE;
    }
}
