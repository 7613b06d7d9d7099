package org.openitb.control;

import java.time.Instant;

/**
 * Where the {@code sim} verb's faults go: the simulated bench behind the pump, when there is one.
 * The socket knows only this, so a daemon on real hardware has no simulator to reach.
 */
@FunctionalInterface
public interface FaultInjector {

    /**
     * Plays {@code fault} on the plant and returns the pump's clock read just before it, so that
     * whatever is timed from it is timed conservatively.
     */
    Instant inject(BenchFault fault);
}
