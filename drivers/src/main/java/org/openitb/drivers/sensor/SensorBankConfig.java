package org.openitb.drivers.sensor;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.openitb.drivers.gpio.Level;

/**
 * All binary inputs, and how they are polled and checked.
 *
 * @param sensors        the inputs
 * @param supplyPin      BCM pin that powers the self-tested switches, if they are wired that way
 * @param pollInterval   longest time between two samples when no edge wakes the bank earlier
 * @param selfTestPeriod how often the supply is cut to prove self-tested inputs are not stuck
 * @param selfTestWindow how long the supply stays cut (and then settles) for the inputs to follow
 * @param chatterEdges   more raw edges than this within {@code chatterWindow} is chatter
 * @param chatterWindow  the window for chatter; a chattering input is healthy again after a quiet window
 */
public record SensorBankConfig(List<SensorConfig> sensors, OptionalInt supplyPin, Duration pollInterval,
        Duration selfTestPeriod, Duration selfTestWindow, int chatterEdges, Duration chatterWindow) {

    public SensorBankConfig {
        sensors = List.copyOf(sensors);
        Objects.requireNonNull(supplyPin, "supplyPin");
        requirePositive("poll interval", pollInterval);
        requirePositive("self-test period", selfTestPeriod);
        requirePositive("self-test window", selfTestWindow);
        requirePositive("chatter window", chatterWindow);
        if (chatterEdges < 1) {
            throw new IllegalArgumentException("chatter edges must be at least 1, got " + chatterEdges);
        }
        Set<String> names = new HashSet<>();
        Set<Integer> pins = new HashSet<>();
        supplyPin.ifPresent(pins::add);
        Level pullLevel = null;
        for (SensorConfig sensor : sensors) {
            if (!names.add(sensor.name())) {
                throw new IllegalArgumentException("sensor " + sensor.name() + " is configured twice");
            }
            if (!pins.add(sensor.pin())) {
                throw new IllegalArgumentException("sensor " + sensor.name() + ": BCM " + sensor.pin() + " is already in use");
            }
            if (sensor.selfTested()) {
                if (supplyPin.isEmpty()) {
                    throw new IllegalArgumentException("sensor " + sensor.name() + " is self-tested but no supply pin is configured");
                }
                Level level = sensor.pull().idleLevel().orElseThrow();
                if (pullLevel != null && pullLevel != level) {
                    throw new IllegalArgumentException("self-tested sensors share one supply, so they need the same pull; "
                            + sensor.name() + " differs");
                }
                pullLevel = level;
            }
        }
    }

    /** The sensor named {@code name}. */
    public SensorConfig sensor(String name) {
        return sensors.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sensor named " + name));
    }

    /** Level that powers the self-tested switches: the opposite of the level their pulls float to. */
    public Level supplyOnLevel() {
        return sensors.stream().filter(SensorConfig::selfTested).findFirst()
                .map(s -> s.pull().idleLevel().orElseThrow().opposite())
                .orElse(Level.HIGH);
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
