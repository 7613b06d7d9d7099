package org.openitb.perf;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openitb.config.ConfigException;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PropertiesFile;
import org.openitb.config.PumpConfig;

/**
 * The configuration {@code bench} runs the daemon with: a user's file (or the example's wiring)
 * with what the measurements need laid over it. Its state lives in a scratch directory, never
 * beside a pump's; priming runs at exactly {@value #PRIMING_HZ} microsteps per second; the
 * occlusion switch is not debounced, so alarm latency is measured from the edge itself.
 */
public final class BenchConfig {

    /** The priming step rate the lateness is measured at. */
    public static final long PRIMING_HZ = 500;
    /** 100 nL per microstep makes 3 mL/min exactly {@value #PRIMING_HZ} Hz. */
    static final String VOLUME_PER_MICROSTEP = "100nL";
    static final String PRIMING_RATE = "3mL/min";
    /** The longest priming (5 mL at 500 Hz = 100 s) bounds the longest bench. */
    static final String PRIMING_MAX = "5mL";
    /** The maintenance program: 540 mcg/day of 500 mcg/mL at 100 nL per microstep is one microstep every 8 s exactly. */
    static final String MAINTENANCE_RATE = "540mcg/day";
    static final String MAINTENANCE_CONCENTRATION = "500mcg/mL";

    /** The example config's wiring, for a bench run without {@code --config}. */
    private static final Map<String, String> WIRING = Map.ofEntries(
            Map.entry("stepper.chip", "drv8825"), Map.entry("stepper.microsteps", "16"),
            Map.entry("stepper.step-pin", "17"), Map.entry("stepper.dir-pin", "27"), Map.entry("stepper.enable-pin", "22"),
            Map.entry("stepper.ms1-pin", "5"), Map.entry("stepper.ms2-pin", "6"), Map.entry("stepper.ms3-pin", "13"),
            Map.entry("sensors.supply-pin", "26"),
            Map.entry("sensor.occlusion.pin", "23"), Map.entry("sensor.occlusion.active", "high"),
            Map.entry("sensor.reservoir-low.pin", "24"), Map.entry("sensor.reservoir-low.active", "low"),
            Map.entry("sensor.end-of-travel.pin", "25"), Map.entry("sensor.end-of-travel.active", "high"),
            Map.entry("sensor.stall.pin", "16"), Map.entry("sensor.stall.active", "low"), Map.entry("sensor.stall.pull", "up"),
            Map.entry("sensor.stall.self-test", "false"),
            Map.entry("annunciator.buzzer-pin", "18"), Map.entry("annunciator.led-pin", "12"));

    private BenchConfig() {
    }

    /**
     * The bench's config: {@code file}'s values if given (else the example's wiring), with the
     * state in {@code scratch}, MQTT to {@code broker} or off, and the bench's calibration, priming
     * and debounce.
     */
    public static PumpConfig of(Optional<Path> file, Path scratch, Optional<URI> broker) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        if (file.isPresent()) {
            // The bench's broker is --broker alone: a pump's credentials and TLS files are not the bench's.
            PropertiesFile.read(file.get()).forEach((k, v) -> {
                if (!k.startsWith("mqtt.")) {
                    values.put(k, v);
                }
            });
        } else {
            values.putAll(WIRING);
            values.put("pump.id", "bench");
        }
        values.put("state.dir", scratch.resolve("state").toString());
        values.put("control.socket", scratch.resolve("control.sock").toString());
        values.put("mqtt.url", broker.map(URI::toString).orElse(""));
        values.put("mqtt.state-period", "1s");
        values.put("stepper.max-step-rate", Math.max(2 * PRIMING_HZ, 1000) + "Hz");
        values.put("calibration.volume-per-microstep", VOLUME_PER_MICROSTEP);
        values.put("syringe.capacity", "20mL");
        values.put("delivery.priming-rate", PRIMING_RATE);
        values.put("delivery.priming-max", PRIMING_MAX);
        values.put("delivery.priming-max-per-day", PRIMING_MAX);
        values.put("sensor.occlusion.debounce", "0ms");
        values.put("library.concentrations", MAINTENANCE_CONCENTRATION);
        return ConfigLoader.parse(values, file.map(Path::toString).orElse("bench config"));
    }
}
