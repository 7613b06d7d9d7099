package org.openitb.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.stepper.MotorWatchdog;
import org.openitb.drivers.stepper.Pi4jStepperDriver;
import org.openitb.drivers.stepper.StepperChip;
import org.openitb.drivers.stepper.StepperConfig;
import org.openitb.drivers.stepper.StepperSim;

/** A DoseScheduler on a real stepper driver over mock GPIO, ticked on a simulated clock the way the loop would. */
final class SchedulerRig implements AutoCloseable, DeliverySink {

    final SimulatedClock clock = SimulatedClock.utc();
    final Gpio gpio = Gpio.mock();
    final StepperConfig config = new StepperConfig(StepperChip.DRV8825, 16, 17, 27, 22, List.of(5, 6, 13),
            Level.LOW, Level.HIGH, Duration.ofSeconds(1));
    final Pi4jStepperDriver stepper = Pi4jStepperDriver.open(gpio, config, clock);
    final StepperSim sim = StepperSim.attach(gpio, config, clock);
    final MotorWatchdog watchdog = new MotorWatchdog(stepper, config.watchdog(), clock);
    final DoseScheduler scheduler;
    final List<Long> cleared = new ArrayList<>();
    final List<DeliveredBatch> batches = new ArrayList<>();
    long nextTick;
    long ticks;

    SchedulerRig(long maxStepRateHz) {
        scheduler = new DoseScheduler(stepper, watchdog, this, maxStepRateHz, config.watchdog().toNanos() / 4, 0);
    }

    /** What delivered was at an instant, for checks against the ideal. */
    interface Check {
        void at(long nanos, long delivered);
    }

    /**
     * Ticks exactly when asked, until {@code untilNanos}. Delivered only changes at steps, so
     * {@code check} sees every step from both sides (one nanosecond before, with the count before,
     * and at the step, with the count after): between steps the gap to a monotonic ideal lies
     * between those two readings.
     */
    void runUntil(long untilNanos, Check check) {
        while (nextTick - untilNanos <= 0) {
            long before = scheduler.delivered();
            clock.advanceTo(nextTick);
            long now = clock.nanos();
            nextTick = scheduler.tick(now);
            ticks++;
            if (scheduler.delivered() != before) {
                check.at(now - 1, before);
                check.at(now, scheduler.delivered());
            }
        }
        clock.advanceTo(untilNanos);
        check.at(untilNanos, scheduler.delivered());
    }

    void runUntil(long untilNanos) {
        runUntil(untilNanos, (t, d) -> { });
    }

    @Override
    public void beforeStep(long microstep, long horizon, long renewBy) {
        cleared.add(microstep);
        if (horizon < microstep) {
            throw new AssertionError("horizon " + horizon + " is behind the step it is for, " + microstep);
        }
        if (microstep != sim.pulses() + 1) {
            throw new AssertionError("cleared microstep " + microstep + " with " + sim.pulses() + " pulses emitted");
        }
    }

    @Override
    public void delivered(DeliveredBatch batch) {
        batches.add(batch);
    }

    @Override
    public void close() {
        gpio.close();
    }
}
