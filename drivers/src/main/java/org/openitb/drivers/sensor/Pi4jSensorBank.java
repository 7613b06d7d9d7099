package org.openitb.drivers.sensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.GpioException;
import org.openitb.drivers.gpio.InputPin;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;
import org.tinylog.Logger;

/**
 * The inputs on Pi4J pins, with the supply self-test: every period the supply of the self-tested
 * switches is cut for a window; each of those inputs must then float to its pull level, or it is
 * stuck. While the supply is cut and settling, the self-tested inputs hold their debounced state.
 */
public final class Pi4jSensorBank implements SensorBank {

    /** Pi4J id of the supply pin. */
    public static final String SUPPLY_ID = "sensor-supply";

    private enum Phase { NORMAL, SUPPLY_CUT, SETTLING }

    private final SensorBankConfig config;
    private final List<Pi4jBinarySensor> sensors = new ArrayList<>();
    private final OutputPin supply;
    private final List<Runnable> wakeListeners = new CopyOnWriteArrayList<>();
    private final long pollNanos;
    private final long periodNanos;
    private final long windowNanos;

    private Phase phase = Phase.NORMAL;
    private long phaseEndsNanos;
    private long nextSelfTestNanos;
    private boolean started;
    private String supplyFault;

    /** Opens the supply pin (if any) and every input of {@code config} on {@code gpio}. */
    public Pi4jSensorBank(Gpio gpio, SensorBankConfig config) {
        this(config, openSupply(gpio, config), openInputs(gpio, config));
    }

    /** On pins already opened: the supply (null without one) and one input per sensor, by name. */
    public Pi4jSensorBank(SensorBankConfig config, OutputPin supply, Map<String, InputPin> inputs) {
        this.config = Objects.requireNonNull(config, "config");
        this.pollNanos = config.pollInterval().toNanos();
        this.periodNanos = config.selfTestPeriod().toNanos();
        this.windowNanos = config.selfTestWindow().toNanos();
        if ((supply == null) != config.supplyPin().isEmpty()) {
            throw new IllegalArgumentException("supply pin given and configured must agree");
        }
        this.supply = supply;
        for (SensorConfig sensor : config.sensors()) {
            InputPin pin = Objects.requireNonNull(inputs.get(sensor.name()), () -> "no input pin for sensor " + sensor.name());
            pin.onEdge(this::wake);
            sensors.add(new Pi4jBinarySensor(sensor, pin, config));
        }
    }

    private static OutputPin openSupply(Gpio gpio, SensorBankConfig config) {
        Level on = config.supplyOnLevel();
        return config.supplyPin().isPresent() ? gpio.output(SUPPLY_ID, config.supplyPin().getAsInt(), on, on) : null;
    }

    private static Map<String, InputPin> openInputs(Gpio gpio, SensorBankConfig config) {
        Map<String, InputPin> inputs = new LinkedHashMap<>();
        for (SensorConfig sensor : config.sensors()) {
            inputs.put(sensor.name(), gpio.input(sensor.pinId(), sensor.pin(), sensor.pull()));
        }
        return inputs;
    }

    @Override
    public synchronized long tick(long nowNanos) {
        if (!started) {
            started = true;
            nextSelfTestNanos = nowNanos; // prove the inputs before believing them
        }
        switch (phase) {
            case NORMAL -> {
                sensors.forEach(s -> s.sample(nowNanos));
                if (supply != null && nowNanos - nextSelfTestNanos >= 0) {
                    if (setSupply(config.supplyOnLevel().opposite())) {
                        phase = Phase.SUPPLY_CUT;
                        phaseEndsNanos = nowNanos + windowNanos;
                    } else {
                        nextSelfTestNanos = nowNanos + periodNanos;
                    }
                }
            }
            case SUPPLY_CUT -> {
                sampleUntested(nowNanos);
                if (nowNanos - phaseEndsNanos >= 0) {
                    sensors.stream().filter(Pi4jBinarySensor::selfTested).forEach(Pi4jBinarySensor::checkUnpowered);
                    setSupply(config.supplyOnLevel());
                    phase = Phase.SETTLING;
                    phaseEndsNanos = nowNanos + windowNanos;
                }
            }
            case SETTLING -> {
                sampleUntested(nowNanos);
                if (supplyFault != null) {
                    setSupply(config.supplyOnLevel()); // keep trying: unpowered switches cannot report
                }
                if (supplyFault == null && nowNanos - phaseEndsNanos >= 0) {
                    sensors.stream().filter(Pi4jBinarySensor::selfTested).forEach(Pi4jBinarySensor::skipEdges);
                    phase = Phase.NORMAL;
                    nextSelfTestNanos = nowNanos + periodNanos;
                    sensors.forEach(s -> s.sample(nowNanos));
                }
            }
        }
        return nextTick(nowNanos);
    }

    @Override
    public List<BinarySensor> sensors() {
        return List.copyOf(sensors);
    }

    @Override
    public BinarySensor sensor(String name) {
        return sensors.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sensor named " + name));
    }

    @Override
    public void onEdge(Runnable wake) {
        wakeListeners.add(Objects.requireNonNull(wake, "wake"));
    }

    private void wake() {
        wakeListeners.forEach(Runnable::run);
    }

    private void sampleUntested(long nowNanos) {
        for (Pi4jBinarySensor sensor : sensors) {
            if (sampledNow(sensor)) {
                sensor.sample(nowNanos);
            }
        }
    }

    /** Outside the normal phase the self-tested inputs hold their state: the supply under them is cut or settling. */
    private boolean sampledNow(Pi4jBinarySensor sensor) {
        return phase == Phase.NORMAL || !sensor.selfTested();
    }

    /**
     * Drives the supply. A failure is a fault on every self-tested input (their switches may be
     * unpowered) until a later write succeeds.
     */
    private boolean setSupply(Level level) {
        try {
            supply.set(level);
            if (supplyFault != null) {
                Logger.info("sensor supply pin works again");
                reportSupplyFault(null);
            }
            return true;
        } catch (GpioException e) {
            if (supplyFault == null) {
                Logger.error("sensor supply: {}", e.getMessage());
            }
            reportSupplyFault("sensor supply pin failed: " + e.getMessage());
            return false;
        }
    }

    private void reportSupplyFault(String detail) {
        supplyFault = detail;
        sensors.stream().filter(Pi4jBinarySensor::selfTested).forEach(s -> s.supplyFault(detail));
    }

    /**
     * Always after {@code nowNanos}: a deadline this pass could not meet (an input held through the
     * self-test, a failed read, a supply that will not come back) waits for the phase end or the
     * next poll, never for an immediate pass again, which would spin the loop.
     */
    private long nextTick(long nowNanos) {
        long next = nowNanos + pollNanos;
        if (phase != Phase.NORMAL) {
            if (phaseEndsNanos - nowNanos > 0) {
                next = Math.min(next, phaseEndsNanos);
            }
        } else if (supply != null) {
            next = Math.min(next, nextSelfTestNanos);
        }
        for (Pi4jBinarySensor sensor : sensors) {
            long deadline = sensor.nextDeadline();
            if (sampledNow(sensor) && deadline != Long.MAX_VALUE && deadline - nowNanos > 0) {
                next = Math.min(next, deadline);
            }
        }
        return next;
    }
}
