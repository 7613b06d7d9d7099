package org.openitb.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.openitb.drivers.annunciator.AnnunciatorConfig;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pull;
import org.openitb.drivers.sensor.SensorBankConfig;
import org.openitb.drivers.sensor.SensorConfig;
import org.openitb.drivers.stepper.StepperChip;
import org.openitb.drivers.stepper.StepperConfig;

/**
 * The wiring part of the config: stepper, sensors and annunciator, each pin claimed once so a pin
 * serving two signals is refused naming both keys.
 */
final class WiringReader {

    private static final String PIN = "a BCM pin number from 2 to 27";

    private WiringReader() {
    }

    static StepperConfig stepper(ConfigReader r, Map<Integer, String> pins) {
        StepperChip chip = r.read("stepper.chip", "drv8825", "a4988, drv8825 or tmc2209", s -> Values.choice(s, StepperChip.class));
        Long microsteps = r.read("stepper.microsteps", "16", "microsteps per full step", Values::integer);
        Integer step = pin(r, pins, "stepper.step-pin");
        Integer dir = pin(r, pins, "stepper.dir-pin");
        Integer enable = pin(r, pins, "stepper.enable-pin");
        List<Integer> select = new ArrayList<>();
        int selectCount = chip == null ? 3 : chip.selectPins().size();
        for (int i = 1; i <= 3; i++) {
            String key = "stepper.ms" + i + "-pin";
            if (i <= selectCount) {
                select.add(pin(r, pins, key));
            } else if (r.has(key) && chip != null) {
                r.read(key, "", PIN, s -> s);
                r.problem(key + " = " + r.text(key, "") + ": " + chip + " has only " + selectCount
                        + " microstep-select pins " + chip.selectPins() + "; remove this key");
            } else {
                r.read(key, "", PIN, s -> s);
            }
        }
        Level enableActive = r.read("stepper.enable-active", "low", "high or low", s -> Values.choice(s, Level.class));
        Level forward = r.read("stepper.forward-dir", "high", "high or low", s -> Values.choice(s, Level.class));
        Duration watchdog = ConfigLoader.duration(r, "stepper.watchdog", "1s", Duration.ofMillis(100), Duration.ofSeconds(30));
        if (chip != null && microsteps != null && chip.selectLevels(microsteps.intValue()).isEmpty()) {
            r.problem("stepper.microsteps = " + microsteps + ": " + chip + " supports " + chip.microstepTable().keySet());
            return null;
        }
        if (chip == null || microsteps == null || step == null || dir == null || enable == null || select.contains(null)
                || enableActive == null || forward == null || watchdog == null) {
            return null;
        }
        return ConfigLoader.build(r, "stepper", () -> new StepperConfig(chip, microsteps.intValue(), step, dir, enable, select,
                enableActive, forward, watchdog));
    }

    static SensorBankConfig sensors(ConfigReader r, Map<Integer, String> pins) {
        Optional<Integer> supply = r.read("sensors.supply-pin", "", PIN + ", or empty for none", Values::optionalBcmPin);
        if (supply != null && supply.isPresent() && !claim(r, pins, "sensors.supply-pin", supply.get())) {
            supply = null;
        }
        Duration poll = ConfigLoader.duration(r, "sensors.poll-interval", "50ms", Duration.ofMillis(1), Duration.ofSeconds(1));
        Duration period = ConfigLoader.duration(r, "sensors.self-test-period", "10s", Duration.ofSeconds(1), Duration.ofHours(1));
        // The bounds keep twice the window well under the shortest period.
        Duration window = ConfigLoader.duration(r, "sensors.self-test-window", "2ms", Duration.ofNanos(100_000), Duration.ofMillis(100));
        Long chatterEdges = r.bounded("sensors.chatter-edges", "8", "a whole number", Values::integer, 2L, 1_000L);
        Duration chatterWindow = ConfigLoader.duration(r, "sensors.chatter-window", "1s", Duration.ofMillis(10), Duration.ofSeconds(60));
        List<SensorConfig> sensors = new ArrayList<>();
        boolean complete = supply != null;
        for (String name : ConfigLoader.SENSORS) {
            String prefix = "sensor." + name + ".";
            boolean isSwitch = !name.equals("stall");
            Integer pin = pin(r, pins, prefix + "pin");
            Level active = r.read(prefix + "active", null, "high or low: the level that means the condition is present",
                    s -> Values.choice(s, Level.class));
            Pull pull = r.read(prefix + "pull", isSwitch ? "down" : "up", "up, down or off", s -> Values.choice(s, Pull.class));
            Duration debounce = ConfigLoader.duration(r, prefix + "debounce", "20ms", Duration.ZERO, Duration.ofSeconds(1));
            Boolean selfTest = r.read(prefix + "self-test", String.valueOf(isSwitch && supply != null && supply.isPresent()),
                    "true or false", Values::bool);
            if (pin == null || active == null || pull == null || debounce == null || selfTest == null) {
                complete = false;
                continue;
            }
            if (selfTest && supply != null && supply.isEmpty()) {
                r.problem(prefix + "self-test = true: needs sensors.supply-pin, the pin the self-test cuts");
                complete = false;
                continue;
            }
            if (selfTest && pull == Pull.OFF) {
                r.problem(prefix + "pull = off: a self-tested input needs a pull resistor to float to a known level with its supply cut");
                complete = false;
                continue;
            }
            sensors.add(new SensorConfig(name, pin, active, pull, debounce, selfTest));
        }
        if (!complete || poll == null || period == null || window == null || chatterEdges == null || chatterWindow == null) {
            return null;
        }
        OptionalInt supplyPin = supply.map(OptionalInt::of).orElse(OptionalInt.empty());
        return ConfigLoader.build(r, "sensors", () -> new SensorBankConfig(sensors, supplyPin, poll, period, window,
                chatterEdges.intValue(), chatterWindow));
    }

    static AnnunciatorConfig annunciator(ConfigReader r, Map<Integer, String> pins) {
        Integer buzzer = pin(r, pins, "annunciator.buzzer-pin");
        Level buzzerActive = r.read("annunciator.buzzer-active", "high", "high or low", s -> Values.choice(s, Level.class));
        Integer led = pin(r, pins, "annunciator.led-pin");
        Level ledActive = r.read("annunciator.led-active", "high", "high or low", s -> Values.choice(s, Level.class));
        if (buzzer == null || buzzerActive == null || led == null || ledActive == null || buzzer.equals(led)) {
            return null;
        }
        return ConfigLoader.build(r, "annunciator", () -> new AnnunciatorConfig(buzzer, buzzerActive, led, ledActive));
    }

    /** Reads a required pin and claims it; null if malformed or already taken. */
    private static Integer pin(ConfigReader r, Map<Integer, String> pins, String key) {
        Integer pin = r.read(key, null, PIN, Values::bcmPin);
        return pin != null && claim(r, pins, key, pin) ? pin : null;
    }

    /** One pin, one signal: a pin used twice is always a wiring mistake, named with its first user. */
    private static boolean claim(ConfigReader r, Map<Integer, String> pins, String key, int pin) {
        String first = pins.putIfAbsent(pin, key);
        if (first != null) {
            r.problem(key + " = " + pin + ": BCM " + pin + " is already used by " + first);
            return false;
        }
        return true;
    }

}
