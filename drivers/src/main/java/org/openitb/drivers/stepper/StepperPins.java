package org.openitb.drivers.stepper;

import java.util.ArrayList;
import java.util.List;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;

/**
 * The stepper's output pins, opened with their declared safe state: STEP low and ENABLE inactive
 * from the first instant and again when GPIO shuts down. Pin ids are fixed so twins can find them.
 */
public record StepperPins(OutputPin step, OutputPin dir, OutputPin enable, List<OutputPin> select) {

    public static final String STEP_ID = "stepper-step";
    public static final String DIR_ID = "stepper-dir";
    public static final String ENABLE_ID = "stepper-enable";

    public StepperPins {
        select = List.copyOf(select);
    }

    /** Pi4J id of the i-th select pin of {@code chip}, e.g. {@code stepper-mode2}. */
    public static String selectId(StepperChip chip, int index) {
        return "stepper-" + chip.selectPins().get(index);
    }

    /** Opens every pin of {@code config} on {@code gpio}, select pins already at the configured microstepping. */
    public static StepperPins open(Gpio gpio, StepperConfig config) {
        Level disabled = config.enableActive().opposite();
        OutputPin enable = gpio.output(ENABLE_ID, config.enablePin(), disabled, disabled);
        OutputPin step = gpio.output(STEP_ID, config.stepPin(), Level.LOW, Level.LOW);
        OutputPin dir = gpio.output(DIR_ID, config.dirPin(), config.dirLevel(Direction.FORWARD), null);
        List<Level> levels = config.chip().selectLevels(config.microsteps()).orElseThrow();
        List<OutputPin> select = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            select.add(gpio.output(selectId(config.chip(), i), config.selectPins().get(i), levels.get(i), null));
        }
        return new StepperPins(step, dir, enable, select);
    }
}
