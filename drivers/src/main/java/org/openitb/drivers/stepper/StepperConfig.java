package org.openitb.drivers.stepper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.openitb.drivers.gpio.Level;

/**
 * Wiring and settings of the step/direction driver. The config loader checks every value with a
 * message naming its key first; this constructor re-checks the invariants so a driver can never be
 * built on a contradictory config.
 *
 * @param chip         the driver chip
 * @param microsteps   microsteps per full step, one of the chip's table rows
 * @param stepPin      BCM pin of STEP
 * @param dirPin       BCM pin of DIR
 * @param enablePin    BCM pin of ENABLE
 * @param selectPins   BCM pins of the microstep-select inputs, in the chip's table order
 * @param enableActive level of ENABLE that energises the motor (low on all three chips)
 * @param forwardLevel level of DIR that moves the plunger forward (dispensing)
 * @param watchdog     how long the scheduler may go without feeding the motor watchdog
 */
public record StepperConfig(StepperChip chip, int microsteps, int stepPin, int dirPin, int enablePin,
        List<Integer> selectPins, Level enableActive, Level forwardLevel, Duration watchdog) {

    public StepperConfig {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(enableActive, "enableActive");
        Objects.requireNonNull(forwardLevel, "forwardLevel");
        Objects.requireNonNull(watchdog, "watchdog");
        selectPins = List.copyOf(selectPins);
        if (chip.selectLevels(microsteps).isEmpty()) {
            throw new IllegalArgumentException(chip + " cannot do " + microsteps + " microsteps; it supports "
                    + chip.microstepTable().keySet());
        }
        if (selectPins.size() != chip.selectPins().size()) {
            throw new IllegalArgumentException(chip + " has " + chip.selectPins().size()
                    + " microstep-select pins " + chip.selectPins() + ", got " + selectPins.size());
        }
        Set<Integer> seen = new HashSet<>();
        // Fields are not assigned yet inside a compact constructor: check the parameters.
        for (int pin : allPins(stepPin, dirPin, enablePin, selectPins)) {
            if (!seen.add(pin)) {
                throw new IllegalArgumentException("BCM " + pin + " is used twice in the stepper wiring");
            }
        }
        if (watchdog.isNegative() || watchdog.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + watchdog);
        }
    }

    /** Every BCM pin the stepper uses. */
    public List<Integer> pins() {
        return allPins(stepPin, dirPin, enablePin, selectPins);
    }

    private static List<Integer> allPins(int step, int dir, int enable, List<Integer> select) {
        List<Integer> all = new ArrayList<>(List.of(step, dir, enable));
        all.addAll(select);
        return List.copyOf(all);
    }

    /** The DIR level for a direction. */
    public Level dirLevel(Direction direction) {
        return direction == Direction.FORWARD ? forwardLevel : forwardLevel.opposite();
    }
}
