package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.drivers.stepper.Direction;

/**
 * Baseline: step, then sleep the step interval, and again; the pattern of the Python and Arduino
 * pump controllers ({@code step(); sleep(interval)}). Each sleep starts after the step and
 * oversleeps a little, so the rate drifts slow and nothing ever makes the time up.
 */
public final class RelativeSleepStepping implements AutoCloseable {

    private final BenchThread thread;

    private RelativeSleepStepping(BenchThread thread) {
        this.thread = thread;
    }

    /** Starts stepping on {@code rig} at once, one step per {@code intervalNanos} as the naive loop counts it. */
    public static RelativeSleepStepping start(StepRig rig, Clock clock, long intervalNanos) {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(clock, "clock");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        return new RelativeSleepStepping(BenchThread.start("baseline-relative-sleep", Thread.MAX_PRIORITY, t -> {
            rig.stepper().enable();
            rig.stepper().direction(Direction.FORWARD);
            while (t.running()) {
                rig.stepper().step();
                t.pauseUntil(clock, clock.nanos() + intervalNanos); // what sleep(interval) does
            }
        }));
    }

    @Override
    public void close() {
        thread.close();
    }
}
