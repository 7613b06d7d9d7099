package org.openitb.drivers.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MotorWatchdogTest {

    private static final long MS = 1_000_000L;

    @Test
    void aFedWatchdogLeavesTheMotorAlone() {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(500), rig.clock);
            rig.driver.enable();
            for (int i = 0; i < 100; i++) {
                rig.clock.advance(Duration.ofMillis(400));
                watchdog.feed();
                assertEquals(rig.clock.nanos() + 500 * MS + 1, watchdog.check(rig.clock.nanos()));
                rig.driver.step();
            }
            assertFalse(watchdog.tripped());
            assertTrue(rig.sim.enabled());
            assertEquals(100, rig.sim.position());
        }
    }

    @Test
    void anUnfedWatchdogDisablesTheMotorJustAfterTheTimeout() {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(500), rig.clock);
            rig.driver.enable();
            watchdog.feed();
            rig.clock.advance(Duration.ofMillis(500));
            watchdog.check(rig.clock.nanos());
            assertFalse(watchdog.tripped(), "exactly at the timeout is still in time");
            rig.clock.advanceNanos(1);
            watchdog.check(rig.clock.nanos());
            assertTrue(watchdog.tripped());
            assertFalse(rig.sim.enabled());
            assertTrue(rig.driver.fault().orElseThrow().startsWith("motor watchdog: the dose scheduler did not report for 500 ms"));
        }
    }

    /** SIGSTOP, then the SIGCONT systemd sends with SIGQUIT: the scheduler's thread may run before the watchdog's. */
    @Test
    void aFeedLaterThanTheTimeoutTripsBeforeTheWatchdogThreadHasLooked() {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(1_000), rig.clock);
            rig.driver.enable();
            watchdog.feed();
            rig.clock.advance(Duration.ofMillis(1_000));
            watchdog.feed();
            assertFalse(watchdog.tripped(), "a feed exactly at the timeout is in time");
            rig.clock.advance(Duration.ofMillis(8_000));
            watchdog.feed();
            assertTrue(watchdog.tripped(), "eight seconds without a feed, whoever looks first");
            assertFalse(rig.sim.enabled(), "the motor is disabled");
            assertTrue(watchdog.trip().orElseThrow().startsWith("motor watchdog: the dose scheduler did not report for 8000 ms (limit 1000 ms"),
                    watchdog.trip().orElseThrow());
        }
    }

    @Test
    void theWatchdogThreadTripsOnItsOwnWhenTheSchedulerStops() throws InterruptedException {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(500), rig.clock);
            rig.driver.enable();
            try (MotorWatchdogThread ignored = MotorWatchdogThread.start(watchdog, rig.clock)) {
                for (int i = 0; i < 5; i++) {
                    rig.clock.advance(Duration.ofMillis(300));
                    watchdog.feed();
                }
                assertFalse(watchdog.tripped());
                // The scheduler stops feeding; only the watchdog's own thread can notice.
                rig.clock.advance(Duration.ofSeconds(1));
                long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!watchdog.tripped() && System.nanoTime() < limit) {
                    Thread.sleep(1);
                }
            }
            assertTrue(watchdog.tripped());
            assertFalse(rig.sim.enabled());
        }
    }

    @Test
    void aWatchdogArmsOnItsFirstFeedNotWhenItIsMade() {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(100), rig.clock);
            // A busy host starts the loop thread seconds after the pump is assembled: not a missed feed.
            rig.clock.advance(Duration.ofSeconds(5));
            watchdog.check(rig.clock.nanos());
            assertFalse(watchdog.tripped());
            assertFalse(watchdog.armed());
            assertTrue(rig.driver.fault().isEmpty());
            watchdog.feed();
            assertTrue(watchdog.armed());
            rig.clock.advance(Duration.ofMillis(101));
            watchdog.check(rig.clock.nanos());
            assertTrue(watchdog.tripped(), "armed, it trips as before");
            assertTrue(watchdog.trip().orElseThrow().startsWith("motor watchdog: the dose scheduler did not report for 101 ms"));
        }
    }

    @Test
    void resetClearsTheTripAndTheNextFeedArmsAgain() {
        try (StepperRig rig = StepperRig.drv8825()) {
            MotorWatchdog watchdog = new MotorWatchdog(rig.driver, Duration.ofMillis(100), rig.clock);
            watchdog.feed();
            rig.clock.advance(Duration.ofSeconds(1));
            watchdog.check(rig.clock.nanos());
            assertTrue(watchdog.tripped());
            watchdog.reset();
            rig.driver.rearm("the test");
            assertFalse(watchdog.tripped());
            assertTrue(watchdog.trip().isEmpty());
            rig.clock.advance(Duration.ofSeconds(1));
            watchdog.check(rig.clock.nanos());
            assertFalse(watchdog.tripped(), "unfed since the reset: not armed");
            watchdog.feed();
            assertEquals(rig.clock.nanos() + 100 * MS + 1, watchdog.check(rig.clock.nanos()));
        }
    }
}
