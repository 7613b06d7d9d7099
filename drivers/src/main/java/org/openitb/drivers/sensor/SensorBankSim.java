package org.openitb.drivers.sensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;

/** Simulated twin of the sensor bank: one {@link SensorSim} per input, and the supply pin they share. */
public final class SensorBankSim {

    private final Gpio gpio;
    private final SensorBankConfig config;
    private final Map<String, SensorSim> sims = new LinkedHashMap<>();

    private SensorBankSim(Gpio gpio, SensorBankConfig config) {
        this.gpio = gpio;
        this.config = config;
    }

    /**
     * Attaches to the pins a {@link Pi4jSensorBank} opened on the mock {@code gpio}, and puts
     * every input at its "condition absent" level before the bank's first tick reads it.
     */
    public static SensorBankSim attach(Gpio gpio, SensorBankConfig config) {
        Objects.requireNonNull(gpio, "gpio");
        SensorBankSim bank = new SensorBankSim(gpio, Objects.requireNonNull(config, "config"));
        for (SensorConfig sensor : config.sensors()) {
            bank.sims.put(sensor.name(), new SensorSim(gpio, sensor, bank));
        }
        synchronized (bank) {
            bank.sims.values().forEach(SensorSim::refresh);
        }
        if (config.supplyPin().isPresent()) {
            gpio.watchOutput(Pi4jSensorBank.SUPPLY_ID, level -> {
                synchronized (bank) {
                    bank.sims.values().forEach(SensorSim::refresh);
                }
            });
        }
        return bank;
    }

    /** The twin of the input named {@code name}. */
    public SensorSim sensor(String name) {
        SensorSim sim = sims.get(name);
        if (sim == null) {
            throw new IllegalArgumentException("no sensor named " + name + "; configured: " + sims.keySet());
        }
        return sim;
    }

    /** Every twin, in configured order. */
    public List<SensorSim> sensors() {
        return List.copyOf(sims.values());
    }

    /** Whether the supply pin powers the self-tested switches now (always true without a supply pin). */
    public boolean supplyOn() {
        return config.supplyPin().isEmpty() || gpio.outputLevel(Pi4jSensorBank.SUPPLY_ID) == config.supplyOnLevel();
    }

    /** Level on the supply pin, for tests of the self-test itself. */
    public Level supplyLevel() {
        return gpio.outputLevel(Pi4jSensorBank.SUPPLY_ID);
    }
}
