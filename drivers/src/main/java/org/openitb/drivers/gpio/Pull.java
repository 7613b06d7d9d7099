package org.openitb.drivers.gpio;

import com.pi4j.io.gpio.digital.PullResistance;
import java.util.Optional;

/** The bias resistor of an input pin; with a supply cut, a pulled input reads its pull level. */
public enum Pull {
    UP,
    DOWN,
    OFF;

    /** The level an input floats to when nothing drives it; empty for {@link #OFF}. */
    public Optional<Level> idleLevel() {
        return switch (this) {
            case UP -> Optional.of(Level.HIGH);
            case DOWN -> Optional.of(Level.LOW);
            case OFF -> Optional.empty();
        };
    }

    PullResistance toPi4j() {
        return switch (this) {
            case UP -> PullResistance.PULL_UP;
            case DOWN -> PullResistance.PULL_DOWN;
            case OFF -> PullResistance.OFF;
        };
    }
}
