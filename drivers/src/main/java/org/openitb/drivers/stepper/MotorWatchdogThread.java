package org.openitb.drivers.stepper;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.tinylog.Logger;

/** The thin thread shell around {@link MotorWatchdog#check}: park until the next expiry, check, repeat. */
public final class MotorWatchdogThread implements AutoCloseable {

    private final LoopThread loop;

    private MotorWatchdogThread(LoopThread loop) {
        this.loop = loop;
    }

    /** Starts watching; the watchdog's timeout counts from its last feed. */
    public static MotorWatchdogThread start(MotorWatchdog watchdog, Clock clock) {
        Objects.requireNonNull(watchdog, "watchdog");
        return new MotorWatchdogThread(LoopThread.create("motor-watchdog", clock, Thread.MAX_PRIORITY, watchdog::check, e -> {
            // A watchdog that cannot watch must not leave the motor running unwatched.
            Logger.error(e, "motor watchdog thread failed");
            watchdog.failSafe("motor watchdog thread failed: " + e);
        }).start());
    }

    @Override
    public void close() {
        loop.close();
    }
}
