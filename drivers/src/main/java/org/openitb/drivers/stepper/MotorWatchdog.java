package org.openitb.drivers.stepper;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.openitb.clock.Clock;

/**
 * Motor safety in the manner of WPILib's MotorSafety: the dose scheduler feeds it on every tick,
 * and if it goes unfed for longer than the timeout (a stalled or dead scheduler thread) the stepper
 * is driven to its safe state. It arms on the first feed, not when it is made: a loop thread that a
 * busy host starts late has not yet failed to report. {@link #check} runs on a thread of its own
 * ({@link MotorWatchdogThread}).
 */
public final class MotorWatchdog {

    private final StepperDriver stepper;
    private final long timeoutNanos;
    private final Clock clock;
    private volatile long lastFedNanos;
    private volatile boolean armed;
    private volatile boolean tripped;
    private volatile String tripReason;

    public MotorWatchdog(StepperDriver stepper, Duration timeout, Clock clock) {
        this.stepper = Objects.requireNonNull(stepper, "stepper");
        this.timeoutNanos = timeout.toNanos();
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Called by the scheduler: it is alive. The first feed arms the watchdog. A feed that comes
     * later than the timeout after the one before trips it as {@link #check} would have: when the
     * whole process was paused (SIGSTOP and the SIGCONT systemd sends with its kill signal, a
     * stop-the-world pause, a starved VM), the watchdog's own thread was paused too, and whichever
     * thread runs first must not decide whether the loop's backlog goes out as a burst of steps.
     */
    public void feed() {
        long now = clock.nanos();
        if (armed) {
            tripIfLate(lastFedNanos, now, "; the process was paused or starved");
        }
        lastFedNanos = now;
        armed = true;
    }

    /** Whether it is watching: fed at least once since it was made or {@link #reset}. */
    public boolean armed() {
        return armed;
    }

    /**
     * Trips the stepper into its safe state if the scheduler has gone quiet for longer than the
     * timeout. Returns when to check next (monotonic ns): the moment the current feed would expire.
     */
    public long check(long nowNanos) {
        if (!armed) {
            return nowNanos + timeoutNanos; // nothing to watch yet; the first feed arms it
        }
        long fed = lastFedNanos;
        if (tripIfLate(fed, nowNanos, "")) {
            return nowNanos + timeoutNanos;
        }
        return fed + timeoutNanos + 1;
    }

    /** Whether {@code nowNanos} is past the timeout after the feed at {@code fedNanos}; the first time, it trips. */
    private boolean tripIfLate(long fedNanos, long nowNanos, String cause) {
        if (nowNanos - fedNanos - timeoutNanos <= 0) {
            return false;
        }
        if (!tripped) {
            trip("motor watchdog: the dose scheduler did not report for " + (nowNanos - fedNanos) / 1_000_000 + " ms (limit "
                    + timeoutNanos / 1_000_000 + " ms" + cause + ")");
        }
        return true;
    }

    /** Trips at once, for a watchdog that can no longer watch. */
    public void failSafe(String reason) {
        trip(reason);
    }

    private void trip(String reason) {
        tripReason = reason;
        tripped = true;
        stepper.safeState(reason);
    }

    /** Whether the watchdog has tripped since start (or since {@link #reset}). */
    public boolean tripped() {
        return tripped;
    }

    /** Why it tripped, while it stays tripped: a controller fault, not the motor's. */
    public Optional<String> trip() {
        return tripped ? Optional.ofNullable(tripReason) : Optional.empty();
    }

    /** Clears a trip; it arms again on the next feed. The stepper's own fault is cleared separately. */
    public void reset() {
        armed = false;
        tripped = false;
        tripReason = null;
    }

    /** The timeout, ns. */
    public long timeoutNanos() {
        return timeoutNanos;
    }
}
