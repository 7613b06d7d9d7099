package org.openitb.drivers.stepper;

import java.time.Duration;
import java.util.Objects;
import org.openitb.clock.Clock;

/**
 * Motor safety in the manner of WPILib's MotorSafety: the dose scheduler feeds it on every tick,
 * and if it goes unfed for longer than the timeout (a stalled or dead scheduler thread) the stepper
 * is driven to its safe state. {@link #check} runs on a thread of its own ({@link MotorWatchdogThread}).
 */
public final class MotorWatchdog {

    private final StepperDriver stepper;
    private final long timeoutNanos;
    private final Clock clock;
    private volatile long lastFedNanos;
    private volatile boolean tripped;

    public MotorWatchdog(StepperDriver stepper, Duration timeout, Clock clock) {
        this.stepper = Objects.requireNonNull(stepper, "stepper");
        this.timeoutNanos = timeout.toNanos();
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastFedNanos = clock.nanos();
    }

    /** Called by the scheduler: it is alive. */
    public void feed() {
        lastFedNanos = clock.nanos();
    }

    /**
     * Trips the stepper into its safe state if the scheduler has gone quiet for longer than the
     * timeout. Returns when to check next (monotonic ns): the moment the current feed would expire.
     */
    public long check(long nowNanos) {
        long fed = lastFedNanos;
        long expires = fed + timeoutNanos;
        if (nowNanos - expires > 0) {
            if (!tripped) {
                tripped = true;
                stepper.safeState("motor watchdog: the dose scheduler did not report for "
                        + (nowNanos - fed) / 1_000_000 + " ms (limit " + timeoutNanos / 1_000_000 + " ms)");
            }
            return nowNanos + timeoutNanos;
        }
        return expires + 1;
    }

    /** Trips at once, for a watchdog that can no longer watch. */
    public void failSafe(String reason) {
        tripped = true;
        stepper.safeState(reason);
    }

    /** Whether the watchdog has tripped since start (or since {@link #reset}). */
    public boolean tripped() {
        return tripped;
    }

    /** Re-arms after a trip, counting from now; the stepper's own fault is cleared separately. */
    public void reset() {
        lastFedNanos = clock.nanos();
        tripped = false;
    }

    /** The timeout, ns. */
    public long timeoutNanos() {
        return timeoutNanos;
    }
}
