package org.openitb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openitb.drivers.balance.BalanceConfig;
import org.openitb.drivers.balance.BalanceProtocol;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pull;
import org.openitb.drivers.stepper.StepperChip;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Percent;
import org.openitb.therapy.SpasticityOrigin;
import org.openitb.therapy.Volume;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static Map<String, String> shipped() throws ConfigException {
        return new LinkedHashMap<>(PropertiesFile.read(ProjectFiles.exampleConfig()));
    }

    private static String firstProblem(Map<String, String> values) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(values, "t.properties"));
        return e.problems().get(0);
    }

    private static Map<String, String> with(String key, String value) throws ConfigException {
        Map<String, String> values = shipped();
        values.put(key, value);
        return values;
    }

    private static Map<String, String> without(String key) throws ConfigException {
        Map<String, String> values = shipped();
        values.remove(key);
        return values;
    }

    @Test
    void theCrashUncertaintyIsAVolumeOfAtLeastOneMicrostepWithinItsBounds() throws ConfigException {
        PumpConfig c = ConfigLoader.parse(shipped(), "t.properties");
        assertEquals(Volume.parse("20uL"), c.delivery().crashUncertainty());
        // 20 uL of 71.853 nL microsteps, by hand: 278.3 -> 278 whole microsteps.
        assertEquals(278, c.delivery().crashUncertaintyMicrosteps(c.mechanics()));
        assertTrue(firstProblem(with("store.max-crash-uncertainty", "500uL")).contains("store.max-crash-uncertainty"),
                firstProblem(with("store.max-crash-uncertainty", "500uL")));
        assertTrue(firstProblem(with("store.max-crash-uncertainty", "20")).contains("store.max-crash-uncertainty"));
        Map<String, String> coarse = with("store.max-crash-uncertainty", "1uL");
        coarse.put("calibration.volume-per-microstep", "2000nL");
        assertEquals("t.properties: store.max-crash-uncertainty = 0.001mL: must be at least one microstep (0.002mL)", firstProblem(coarse));
    }

    @Test
    void theShippedConfigDescribesTheBenchPump() throws ConfigException {
        PumpConfig c = ConfigLoader.load(ProjectFiles.exampleConfig());
        assertEquals("bench-01", c.pumpId());
        assertEquals(Path.of("state"), c.stateDir());
        assertEquals(Path.of("state/control.sock"), c.controlSocket());
        assertFalse(c.mqtt().enabled());
        assertEquals(StepperChip.DRV8825, c.stepper().chip());
        assertEquals(16, c.stepper().microsteps());
        assertEquals(List.of(17, 27, 22, 5, 6, 13), c.stepper().pins());
        assertEquals(Level.LOW, c.stepper().enableActive());
        assertEquals(Duration.ofSeconds(1), c.stepper().watchdog());
        assertEquals(Volume.parse("20mL"), c.mechanics().syringeCapacity());
        assertEquals(new Volume(71_853), c.mechanics().volumePerMicrostep());
        assertEquals(278_346, c.mechanics().microstepsPerSyringe());
        assertEquals(1_000, c.mechanics().maxStepRate().hertz());
        assertEquals(OptionalInt.of(26), c.sensors().supplyPin());
        assertEquals(List.of("occlusion", "reservoir-low", "end-of-travel", "stall"),
                c.sensors().sensors().stream().map(s -> s.name()).toList());
        assertEquals(Level.LOW, c.sensors().sensor("reservoir-low").activeLevel());
        assertEquals(Pull.UP, c.sensors().sensor("stall").pull());
        assertFalse(c.sensors().sensor("stall").selfTested());
        assertTrue(c.sensors().sensor("occlusion").selfTested());
        assertEquals(18, c.annunciator().buzzerPin());
        assertEquals(List.of(Concentration.parse("50mcg/mL"), Concentration.parse("500mcg/mL"),
                Concentration.parse("1000mcg/mL"), Concentration.parse("2000mcg/mL")), c.library().concentrations());
        assertEquals(DailyRate.parse("800mcg/day"), c.library().softMaxDaily());
        assertEquals(SpasticityOrigin.SPINAL, c.library().origin());
        assertEquals(Percent.of(30), c.library().maxChangePerDay());
    }

    @Test
    void theShippedConfigSetsAndDocumentsEveryKnownKey() throws IOException, ConfigException {
        assertEquals(ConfigLoader.knownKeys(), shipped().keySet());
        String text = Files.readString(ProjectFiles.exampleConfig());
        for (String key : ConfigLoader.knownKeys()) {
            assertTrue(text.contains("\n" + key + " ="), key + " is not set in the example config");
        }
    }

    /**
     * The example config is the configuration reference: every key has a comment directly above it,
     * or shares the one above the run of keys it stands in, and that comment gives its default,
     * bounds or "(required)" in brackets. A family of keys declared in its section's comments with a
     * placeholder ({@code sensor.<name>.*}) may instead be explained there, in a clause that starts
     * with the key's last word.
     */
    @Test
    void theShippedConfigExplainsEveryKeyInACommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(ProjectFiles.exampleConfig());
        String key = "[a-z][\\w.-]* =.*";
        String bracketed = "(?s).*[(\\[][^)\\]]*[)\\]].*";
        String[] section = new String[lines.size()];
        for (int start = 0; start < lines.size();) {
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("# ----")) {
                end++;
            }
            String text = String.join(" ", lines.subList(start, end).stream().filter(l -> l.startsWith("#")).map(l -> l.substring(1)).toList());
            Arrays.fill(section, start, end, text);
            start = end;
        }
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.matches(key)) {
                continue;
            }
            int j = i - 1;
            while (j >= 0 && lines.get(j).matches(key)) {
                j--; // a run of keys shares the comment above its first
            }
            StringBuilder comment = new StringBuilder();
            for (; j >= 0 && lines.get(j).startsWith("#") && !lines.get(j).startsWith("# ----"); j--) {
                comment.insert(0, lines.get(j).substring(1) + " ");
            }
            String name = line.substring(0, line.indexOf(' '));
            String family = name.substring(0, name.indexOf('.')) + ".<";
            String lastWord = Pattern.quote(name.substring(name.lastIndexOf('.') + 1));
            boolean own = !comment.toString().isBlank() && comment.toString().matches(bracketed);
            boolean inFamily = section[i].contains(family) && section[i].matches("(?s).*[;:]\\s*" + lastWord + "\\b[^;]*[(\\[].*");
            if (!own && !inFamily) {
                undocumented.add(name);
            }
        }
        assertTrue(lines.size() > 100, "read the example config");
        assertEquals(List.of(), undocumented, "keys with no comment giving their meaning and default or bounds above them");
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreLeftOut() throws ConfigException {
        Map<String, String> minimal = shipped();
        minimal.keySet().removeIf(k -> !(k.equals("pump.id") || k.equals("state.dir") || k.endsWith("-pin") || k.endsWith(".pin")
                || k.endsWith(".active") || k.equals("calibration.volume-per-microstep")));
        PumpConfig c = ConfigLoader.parse(minimal, "minimal.properties");
        assertEquals(StepperChip.DRV8825, c.stepper().chip());
        assertEquals(Path.of("state/control.sock"), c.controlSocket());
        assertEquals(Duration.ofMillis(20), c.sensors().sensor("occlusion").debounce());
        assertTrue(c.sensors().sensor("occlusion").selfTested(), "switches are self-tested when a supply pin is set");
        assertFalse(c.sensors().sensor("stall").selfTested());
        assertEquals(Percent.of(30), c.library().titrationSpinal());
        assertEquals(Percent.of(15), c.library().titrationCerebral());
    }

    @Test
    void aMisspeltKeyIsNamedWithItsLikelyMeaning() throws ConfigException {
        Map<String, String> values = without("stepper.microsteps");
        values.put("stepper.microstep", "16");
        assertEquals("t.properties: unknown key stepper.microstep = 16 (did you mean stepper.microsteps?);"
                + " every key is listed in the example config/openitb.properties", firstProblem(values));
    }

    @Test
    void anUnknownKeyIsReportedBeforeTheProblemsItCauses() throws ConfigException {
        Map<String, String> values = without("pump.id");
        values.put("pump.name", "bench-01");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(values, "t.properties"));
        assertTrue(e.problems().get(0).startsWith("t.properties: unknown key pump.name = bench-01"), e.problems().get(0));
        assertEquals("t.properties: pump.id is required: 1 to 32 letters, digits, '-' or '_'", e.problems().get(1));
        assertTrue(e.getMessage().endsWith("(and 1 more problem)"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "pump.id | bench 01 | pump.id = bench 01: must be 1 to 32 letters, digits, '-' or '_', starting with a letter or digit (it is part of MQTT topics)",
        "pump.id | a/b | pump.id = a/b: must be 1 to 32 letters, digits, '-' or '_', starting with a letter or digit (it is part of MQTT topics)",
        "stepper.microsteps | 64 | stepper.microsteps = 64: DRV8825 supports [1, 2, 4, 8, 16, 32]",
        "stepper.microsteps | sixteen | stepper.microsteps = sixteen: must be a whole number",
        "stepper.microsteps | -16 | stepper.microsteps = -16: must be a whole number",
        "stepper.chip | l298n | stepper.chip = l298n: must be one of a4988, drv8825, tmc2209",
        "stepper.step-pin | 1 | stepper.step-pin = 1: must be a BCM pin number from 2 to 27 (GPIO 0 and 1 are the HAT ID EEPROM bus)",
        "stepper.step-pin | 40 | stepper.step-pin = 40: must be a BCM pin number from 2 to 27 (GPIO 0 and 1 are the HAT ID EEPROM bus)",
        "stepper.step-pin | GPIO17 | stepper.step-pin = GPIO17: must be a BCM pin number from 2 to 27",
        "stepper.enable-active | on | stepper.enable-active = on: must be one of low, high",
        "stepper.watchdog | 10ms | stepper.watchdog = 10ms: must be from 100ms to 30s",
        "stepper.watchdog | 1 | stepper.watchdog = 1: '1' has no unit; expected a duration like 10m",
        "stepper.max-step-rate | 800/s | stepper.max-step-rate = 800/s: '800/s' is in /s; a frequency is written in Hz, like 1000Hz (write Hz)",
        "stepper.max-step-rate | 9000Hz | stepper.max-step-rate = 9000Hz: must be from 1Hz to 5000Hz",
        "syringe.capacity | 20 | syringe.capacity = 20: '20' has no unit; expected a volume like 20mL",
        "syringe.capacity | 500mL | syringe.capacity = 500mL: must be from 0.5mL to 100mL",
        "syringe.capacity | NaN | syringe.capacity = NaN: 'NaN' is not a volume; expected a plain number with its unit, like 20mL",
        "calibration.volume-per-microstep | 72.3 | calibration.volume-per-microstep = 72.3: '72.3' has no unit; expected a volume like 20mL",
        "sensor.occlusion.active | 1 | sensor.occlusion.active = 1: must be one of low, high",
        "sensor.occlusion.debounce | 2s | sensor.occlusion.debounce = 2s: must be from 0s to 1s",
        "sensor.occlusion.self-test | yes | sensor.occlusion.self-test = yes: must be true or false",
        "sensors.chatter-edges | 1 | sensors.chatter-edges = 1: must be from 2 to 1000",
        "sensors.self-test-window | 6s | sensors.self-test-window = 6s: must be from 100us to 100ms",
        "library.concentrations | 500mcg/mL, 500mcg/mL | library.concentrations = 500mcg/mL, 500mcg/mL: 500mcg/mL is listed twice",
        "library.concentrations | 500mg/mL | library.concentrations = 500mg/mL: '500mg/mL' is in mg/mL; a concentration is written in mcg/mL, like 500mcg/mL (concentrations are written in mcg/mL: 2 mg/mL is 2000mcg/mL)",
        "library.concentrations | 20000mcg/mL | library.concentrations = 20000mcg/mL: 20000mcg/mL must be from 1mcg/mL to 10000mcg/mL",
        "library.daily-dose.hard-max | 9000mcg/day | library.daily-dose.hard-max = 9000mcg/day: must be from 1mcg/day to 5000mcg/day",
        "library.daily-dose.soft-max | 2000mcg/day | library.daily-dose.soft-max = 2000mcg/day: must not exceed library.daily-dose.hard-max (1500mcg/day)",
        "library.daily-dose.hard-min | 0mcg/day | library.daily-dose.hard-min = 0mcg/day: must be from 1mcg/day to 100mcg/day",
        "library.bolus.max | 0.5mg | library.bolus.max = 0.5mg: '0.5mg' is in mg; a dose is written in mcg, like 50mcg (doses are written in mcg to keep a thousandfold error out of reach)",
        "library.origin | brain | library.origin = brain: must be one of spinal, cerebral",
        "library.titration.spinal | 0% | library.titration.spinal = 0%: must be from 1% to 100%",
        "clock.zone | Mars/Olympus | clock.zone = Mars/Olympus: must be 'system' or a time zone id like Europe/Berlin",
        "mqtt.url | http://broker:1883 | mqtt.url = http://broker:1883: must be tcp://host:port or ssl://host:port (or empty for no MQTT)",
        "mqtt.url | tcp://user:pw@broker:1883 | mqtt.url = tcp://user:pw@broker:1883: must be just scheme, host and port; credentials go in mqtt.username and mqtt.password-file",
        "mqtt.url | tcp://:1883 | mqtt.url = tcp://:1883: has no host",
        "mqtt.password-file | /nonexistent/password | mqtt.password-file = /nonexistent/password: no such file",
        "mqtt.keepalive | 1s | mqtt.keepalive = 1s: must be from 2s to 10m",
        "mqtt.state-period | 2h | mqtt.state-period = 2h: must be from 1s to 1h",
        "mqtt.reconnect-max | 0s | mqtt.reconnect-max = 0s: must be from 1s to 10m",
        "mqtt.homeassistant | yes | mqtt.homeassistant = yes: must be true or false",
        "mqtt.homeassistant.prefix | home/assistant | mqtt.homeassistant.prefix = home/assistant: must be 1 to 64 letters, digits, '-' or '_'",
        "mqtt.homeassistant | true | mqtt.homeassistant = true: Home Assistant discovery needs mqtt.url",
        "balance.baud | 50 | balance.baud = 50: must be from 300 to 115200",
        "balance.framing | 9X1 | balance.framing = 9X1: not a framing: write data bits (7 or 8), parity (N, O or E) and stop bits (1 or 2), like 8N1",
        "balance.protocol | ascii | balance.protocol = ascii: not a balance protocol: write mt-sics, sbi or continuous",
        "balance.timeout | 50ms | balance.timeout = 50ms: must be from 100ms to 10s",
        "balance.readability | 0.01 | balance.readability = 0.01: '0.01' has no unit; expected a mass like 0.7150g",
        "balance.readability | 2g | balance.readability = 2g: must be from 0.0000001g to 1g",
        "accuracy.read-interval | 2h | accuracy.read-interval = 2h: must be from 1s to 1h",
    })
    void badValuesAreRefusedNamingKeyValueAndWhatIsAllowed(String key, String value, String problem) throws ConfigException {
        assertEquals("t.properties: " + problem, firstProblem(with(key, value)));
    }

    @Test
    void aBalanceIsConfiguredOnlyWithAPortAndReadsSlowerThanItMayTakeToAnswer() throws ConfigException {
        assertEquals(Optional.empty(), ConfigLoader.parse(shipped(), "t.properties").accuracy(), "the shipped bench has no balance");
        Map<String, String> values = shipped();
        values.put("balance.port", "/dev/ttyUSB0");
        values.put("balance.framing", "7o1");
        values.put("balance.protocol", "sbi");
        values.put("balance.readability", "0.01mg");
        var balance = ConfigLoader.parse(values, "t.properties").accuracy().orElseThrow();
        assertEquals("/dev/ttyUSB0", balance.balance().port());
        assertEquals(7, balance.balance().dataBits());
        assertEquals(BalanceConfig.Parity.ODD, balance.balance().parity());
        assertEquals(BalanceProtocol.SBI, balance.balance().protocol());
        assertEquals(new BigDecimal("0.00001"), balance.balance().readability(), "0.01 mg in grams");
        assertEquals(Duration.ofSeconds(30), balance.readInterval());
        values.put("balance.timeout", "2s");
        values.put("accuracy.read-interval", "1s");
        assertEquals("t.properties: balance: the read interval (1s) must be longer than the balance's timeout (2s): a read must end"
                + " before the next is due", firstProblem(values));
    }

    @Test
    void aPinCannotServeTwoSignals() throws ConfigException {
        assertEquals("t.properties: annunciator.led-pin = 17: BCM 17 is already used by stepper.step-pin",
                firstProblem(with("annunciator.led-pin", "17")));
        assertEquals("t.properties: sensor.stall.pin = 26: BCM 26 is already used by sensors.supply-pin",
                firstProblem(with("sensor.stall.pin", "26")));
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws ConfigException {
        assertEquals("t.properties: calibration.volume-per-microstep is required: the volume one microstep pushes out, like 72.3nL"
                + " (see the calibration walkthrough in docs/drivers.md)", firstProblem(without("calibration.volume-per-microstep")));
        assertEquals("t.properties: sensor.occlusion.active is required: high or low: the level that means the condition is present",
                firstProblem(without("sensor.occlusion.active")));
    }

    @Test
    void theTmc2209HasTwoSelectPinsOnly() throws ConfigException {
        Map<String, String> tmc = with("stepper.chip", "tmc2209");
        assertEquals("t.properties: stepper.ms3-pin = 13: TMC2209 has only 2 microstep-select pins [ms1, ms2]; remove this key",
                firstProblem(tmc));
        tmc.remove("stepper.ms3-pin");
        PumpConfig c = ConfigLoader.parse(tmc, "t.properties");
        assertEquals(List.of(5, 6), c.stepper().selectPins());
    }

    @Test
    void selfTestNeedsASupplyPinAndAPull() throws ConfigException {
        assertEquals("t.properties: sensor.occlusion.self-test = true: needs sensors.supply-pin, the pin the self-test cuts",
                firstProblem(with("sensors.supply-pin", "")));
        assertEquals("t.properties: sensor.occlusion.pull = off: a self-tested input needs a pull resistor to float to a known level with its supply cut",
                firstProblem(with("sensor.occlusion.pull", "off")));
    }

    @Test
    void mqttSecretsAndTlsMustBeCoherent() throws IOException, ConfigException {
        Path password = Files.writeString(dir.resolve("password"), "secret\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals("t.properties: mqtt.password-file = " + password + ": a password needs mqtt.username",
                firstProblem(withAll(Map.of("mqtt.url", "tcp://localhost:1883", "mqtt.password-file", password.toString()))));
        assertEquals("t.properties: mqtt.tls.ca-file = " + ca + ": set, but mqtt.url is not ssl://, so TLS would not be used",
                firstProblem(withAll(Map.of("mqtt.url", "tcp://localhost:1883", "mqtt.tls.ca-file", ca.toString()))));
        PumpConfig c = ConfigLoader.parse(withAll(Map.of("mqtt.url", "ssl://broker.local:8883", "mqtt.username", "pump",
                "mqtt.password-file", password.toString(), "mqtt.tls.ca-file", ca.toString())), "t.properties");
        assertTrue(c.mqtt().tls());
        assertEquals("pump", c.mqtt().username());
        assertFalse(c.toString().contains("secret"), "the password itself is never held in the config");
        assertEquals("t.properties: mqtt.tls.cert-file and mqtt.tls.key-file go together: a client certificate needs its key",
                firstProblem(withAll(Map.of("mqtt.url", "ssl://broker.local:8883", "mqtt.tls.cert-file", ca.toString()))));
    }

    @Test
    void aSocketPathTooLongForSunPathIsRefused() throws ConfigException {
        String longPath = "/tmp/" + "x".repeat(110) + ".sock";
        assertTrue(firstProblem(with("control.socket", longPath)).startsWith("t.properties: control.socket = " + longPath + ": is 120 bytes"));
    }

    @Test
    void aKeyGivenTwiceIsRefusedNotSilentlyResolved() throws IOException {
        Path file = Files.writeString(dir.resolve("twice.properties"), "pump.id = a\npump.id = b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": pump.id is set twice (a, then b); keep one", e.getMessage());
    }

    @Test
    void unreadableMissingAndOversizedFilesAreRefused() throws IOException {
        assertEquals(dir.resolve("none.properties") + ": no such config file",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.properties"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir)).getMessage()
                .startsWith(dir + ": cannot read config file"));
        Path huge = Files.writeString(dir.resolve("huge.properties"), "# " + "x".repeat(300_000));
        assertEquals(huge + ": 300002 bytes is too large for a config file (limit 262144)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(huge)).getMessage());
        Path badEscape = Files.writeString(dir.resolve("escape.properties"), "pump.id = \\uZZZZ\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(badEscape)).getMessage()
                .startsWith(badEscape + ": cannot read config file"));
    }

    private static Map<String, String> withAll(Map<String, String> changes) throws ConfigException {
        Map<String, String> values = shipped();
        values.putAll(changes);
        return values;
    }
}
