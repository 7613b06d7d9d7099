package org.openitb.drivers.stepper;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.tinylog.Logger;

/** The thin thread shell around {@link MotorWatchdog#check}: park until the next expiry, check, repeat. */
public final class MotorWatchdogThread implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private MotorWatchdogThread(MotorWatchdog watchdog, Clock clock) {
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(clock, "clock");
        this.thread = Thread.ofPlatform().name("motor-watchdog").daemon(true).unstarted(() -> {
            try {
                while (running) {
                    long next = watchdog.check(clock.nanos());
                    clock.parkUntil(next);
                }
            } catch (RuntimeException | Error e) {
                // A watchdog that cannot watch must not leave the motor running unwatched.
                Logger.error(e, "motor watchdog thread failed");
                watchdog.failSafe("motor watchdog thread failed: " + e);
                throw e;
            }
        });
    }

    /** Starts watching; the watchdog's timeout counts from its last feed. */
    public static MotorWatchdogThread start(MotorWatchdog watchdog, Clock clock) {
        MotorWatchdogThread shell = new MotorWatchdogThread(watchdog, clock);
        shell.thread.setPriority(Thread.MAX_PRIORITY);
        shell.thread.start();
        return shell;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
