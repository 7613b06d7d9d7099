package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.drivers.stepper.Direction;
import org.openitb.store.CommitLatency;

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

    /**
     * The same loop keeping a durable count the naive way: every {@code every} steps it writes the
     * count and waits for the disk ({@code disk} plays its commit) before the next step, so a slow
     * commit holds the stepping up. It is what a controller that writes ahead on the loop's path does.
     */
    public static RelativeSleepStepping startWriting(StepRig rig, Clock clock, long intervalNanos, CommitLatency disk, int every) {
        Objects.requireNonNull(disk, "disk");
        if (intervalNanos <= 0 || every < 1) {
            throw new IllegalArgumentException("interval and batch must be positive: " + intervalNanos + ", " + every);
        }
        return new RelativeSleepStepping(BenchThread.start("baseline-write-then-step", Thread.MAX_PRIORITY, t -> {
            rig.stepper().enable();
            rig.stepper().direction(Direction.FORWARD);
            long steps = 0;
            while (t.running()) {
                if (steps++ % every == 0) {
                    t.pauseUntil(clock, clock.nanos() + disk.nextNanos()); // write the count, wait for the disk
                }
                rig.stepper().step();
                t.pauseUntil(clock, clock.nanos() + intervalNanos);
            }
        }));
    }

    @Override
    public void close() {
        thread.close();
    }
}
