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

    private final Thread thread;
    private volatile boolean running = true;

    private RelativeSleepStepping(StepRig rig, Clock clock, long intervalNanos) {
        this.thread = Thread.ofPlatform().name("baseline-relative-sleep").unstarted(() -> {
            rig.stepper().enable();
            rig.stepper().direction(Direction.FORWARD);
            while (running) {
                rig.stepper().step();
                long until = clock.nanos() + intervalNanos;
                while (running && clock.nanos() - until < 0) {
                    clock.parkUntil(until); // what sleep(interval) does
                }
            }
        });
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts stepping on {@code rig} at once, one step per {@code intervalNanos} as the naive loop counts it. */
    public static RelativeSleepStepping start(StepRig rig, Clock clock, long intervalNanos) {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(clock, "clock");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        RelativeSleepStepping s = new RelativeSleepStepping(rig, clock, intervalNanos);
        s.thread.start();
        return s;
    }

    @Override
    public void close() {
        running = false;
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
