package org.openitb.drivers.gpio;

import com.pi4j.io.gpio.digital.DigitalState;

/** An electrical level on a pin; kept apart from Pi4J's type so device interfaces stay Pi4J-free. */
public enum Level {
    LOW,
    HIGH;

    public Level opposite() {
        return this == LOW ? HIGH : LOW;
    }

    DigitalState toPi4j() {
        return this == LOW ? DigitalState.LOW : DigitalState.HIGH;
    }

    /** Pi4J's state as a level; {@code UNKNOWN} is not a level and is refused. */
    static Level fromPi4j(DigitalState state) {
        return switch (state) {
            case LOW -> LOW;
            case HIGH -> HIGH;
            default -> throw new GpioException("pin state is " + state + ", neither high nor low");
        };
    }
}
