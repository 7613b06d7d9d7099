package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.drivers.stepper.Direction;

/**
 * Baseline: poll the clock until the next step is due, step, repeat; on time, and a whole core
 * burnt even when one step is due every few seconds.
 */
public final class BusyWaitStepping implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private BusyWaitStepping(StepRig rig, Clock clock, long intervalNanos, long startNanos) {
        this.thread = Thread.ofPlatform().name("baseline-busy-wait").unstarted(() -> {
            rig.stepper().enable();
            rig.stepper().direction(Direction.FORWARD);
            long next = startNanos + intervalNanos;
            while (running) {
                if (clock.nanos() - next >= 0) {
                    rig.stepper().step();
                    next += intervalNanos;
                }
            }
        });
    }

    /** Starts polling; the first step is due one interval after {@code startNanos}. */
    public static BusyWaitStepping start(StepRig rig, Clock clock, long intervalNanos, long startNanos) {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(clock, "clock");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        BusyWaitStepping s = new BusyWaitStepping(rig, clock, intervalNanos, startNanos);
        s.thread.start();
        return s;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
