package org.openitb.drivers.sensor;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pull;

/**
 * One binary input: a switch (occlusion, reservoir low, end of travel) or a fault line (motor stall).
 *
 * @param name        short name, e.g. {@code occlusion}; also the Pi4J pin id suffix
 * @param pin         BCM pin
 * @param activeLevel the level that means "the condition is present"
 * @param pull        bias resistor; the level it pulls to is what the input reads with its supply cut
 * @param debounce    how long the raw level must hold still before it is believed
 * @param selfTested  whether the switch is powered from the bank's supply pin and tested by cutting it
 */
public record SensorConfig(String name, int pin, Level activeLevel, Pull pull, Duration debounce, boolean selfTested) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public SensorConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sensor name '" + name + "' must match " + NAME);
        }
        Objects.requireNonNull(activeLevel, "activeLevel");
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("sensor " + name + ": debounce cannot be negative");
        }
        if (selfTested && pull == Pull.OFF) {
            throw new IllegalArgumentException("sensor " + name
                    + ": a self-tested input needs a pull resistor, so it reads a known level with its supply cut");
        }
    }

    /** Pi4J id of the input pin. */
    public String pinId() {
        return "sensor-" + name;
    }
}
