package org.openitb.drivers.stepper;

import java.time.Duration;
import java.util.List;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;

/** A stepper on mock GPIO with its twin and a simulated clock, for one test. */
final class StepperRig implements AutoCloseable {

    final SimulatedClock clock = SimulatedClock.utc();
    final Gpio gpio = Gpio.mock();
    final StepperConfig config;
    final Pi4jStepperDriver driver;
    final StepperSim sim;

    StepperRig(StepperConfig config) {
        this.config = config;
        this.driver = Pi4jStepperDriver.open(gpio, config, clock);
        this.sim = StepperSim.attach(gpio, config, clock);
    }

    static StepperRig drv8825() {
        return new StepperRig(config(StepperChip.DRV8825, 16, Level.LOW, Level.HIGH));
    }

    static StepperConfig config(StepperChip chip, int microsteps, Level enableActive, Level forwardLevel) {
        List<Integer> select = List.of(5, 6, 13).subList(0, chip.selectPins().size());
        return new StepperConfig(chip, microsteps, 17, 27, 22, select, enableActive, forwardLevel, Duration.ofMillis(500));
    }

    @Override
    public void close() {
        gpio.close();
    }
}
