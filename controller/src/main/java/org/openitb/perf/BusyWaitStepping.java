package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.drivers.stepper.Direction;

/**
 * Baseline: poll the clock until the next step is due, step, repeat; on time, and a whole core
 * burnt even when one step is due every few seconds.
 */
public final class BusyWaitStepping implements AutoCloseable {

    private final BenchThread thread;

    private BusyWaitStepping(BenchThread thread) {
        this.thread = thread;
    }

    /** Starts polling; the first step is due one interval after {@code startNanos}. */
    public static BusyWaitStepping start(StepRig rig, Clock clock, long intervalNanos, long startNanos) {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(clock, "clock");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        return new BusyWaitStepping(BenchThread.start("baseline-busy-wait", Thread.NORM_PRIORITY, t -> {
            rig.stepper().enable();
            rig.stepper().direction(Direction.FORWARD);
            long next = startNanos + intervalNanos;
            while (t.running()) {
                if (clock.nanos() - next >= 0) {
                    rig.stepper().step();
                    next += intervalNanos;
                }
            }
        }));
    }

    @Override
    public void close() {
        thread.close();
    }
}
