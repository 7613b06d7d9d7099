package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.stepper.Pi4jStepperDriver;
import org.openitb.drivers.stepper.StepperConfig;
import org.openitb.drivers.stepper.StepperDriver;
import org.openitb.drivers.stepper.StepperSim;

/**
 * A stepper on a board of its own (Pi4J mock GPIO), watched by its simulated twin, which
 * timestamps every rising edge on STEP into a {@link RiseRecorder}. The pump's dose loop in the
 * bench is watched by the same twin, so ours and the baselines are timed by the same probe.
 */
public final class StepRig implements AutoCloseable {

    private final Gpio gpio;
    private final Pi4jStepperDriver stepper;
    private final RiseRecorder rises;

    private StepRig(Gpio gpio, Pi4jStepperDriver stepper, RiseRecorder rises) {
        this.gpio = gpio;
        this.stepper = stepper;
        this.rises = rises;
    }

    /** Opens {@code config}'s stepper on a fresh mock board, keeping up to {@code capacity} edges. */
    public static StepRig open(StepperConfig config, Clock clock, int capacity) {
        Objects.requireNonNull(clock, "clock");
        RiseRecorder rises = new RiseRecorder(capacity);
        Gpio gpio = Gpio.mock();
        try {
            Pi4jStepperDriver stepper = Pi4jStepperDriver.open(gpio, config, clock);
            StepperSim.attach(gpio, config, clock).onRise(rises);
            return new StepRig(gpio, stepper, rises);
        } catch (RuntimeException e) {
            gpio.close();
            throw e;
        }
    }

    public StepperDriver stepper() {
        return stepper;
    }

    /** The rising edges seen on STEP. */
    public RiseRecorder rises() {
        return rises;
    }

    /** Motor off, pins to their safe levels, board closed. */
    @Override
    public void close() {
        try {
            if (stepper.enabled()) {
                stepper.disable();
            }
        } finally {
            gpio.close();
        }
    }
}
