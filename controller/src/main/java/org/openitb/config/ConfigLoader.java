package org.openitb.config;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.alarm.AlarmSettings;
import org.openitb.alarm.RiskSettings;
import org.openitb.delivery.DeliverySettings;
import org.openitb.delivery.PumpMechanics;
import org.openitb.drivers.annunciator.AnnunciatorConfig;
import org.openitb.drivers.sensor.SensorBankConfig;
import org.openitb.drivers.stepper.StepperConfig;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.telemetry.MqttSettings;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.DrugLibrary;
import org.openitb.therapy.Durations;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Frequency;
import org.openitb.therapy.PatientBolusPolicy;
import org.openitb.therapy.Percent;
import org.openitb.therapy.SpasticityOrigin;
import org.openitb.therapy.Volume;

/**
 * Loads and validates the properties file. Unknown keys, duplicate keys, missing required keys,
 * malformed or out-of-range values, and contradictions between keys (a pin used twice,
 * microstepping the chip cannot do) are all refused with a line naming key, value and what is
 * allowed. Every key, its unit, bounds and default are documented in config/openitb.properties.
 */
public final class ConfigLoader {

    /** Bounds of calibration.volume-per-microstep, shared with the {@code calibrate} helper. */
    public static final Volume MIN_VOLUME_PER_MICROSTEP = Volume.parse("0.01nL");
    public static final Volume MAX_VOLUME_PER_MICROSTEP = Volume.parse("100000nL");

    /** The binary inputs of the bench, in the order they are read. */
    public static final List<String> SENSORS = List.of("occlusion", "reservoir-low", "end-of-travel", "stall");
    /** Config files beyond this are not a config. */

    private ConfigLoader() {
    }

    /** A broker URL as {@code mqtt.url} takes it (tcp:// or ssl://, a host, a port if any), for verbs that take one on the command line. */
    public static URI brokerUrl(String text) {
        return Values.brokerUrl(text).orElseThrow(() -> new IllegalArgumentException("is empty; a broker URL like tcp://host:1883 is needed"));
    }

    /** A pump id as {@code pump.id} takes it. */
    public static String pumpId(String text) {
        return Values.pumpId(text);
    }

    /** Reads {@code file}; every problem found is in the exception, the first one in its message. */
    public static PumpConfig load(Path file) throws ConfigException {
        return parse(PropertiesFile.read(file), file.toString());
    }

    /** Validates already-read key/value pairs; {@code source} names them in messages. */
    public static PumpConfig parse(Map<String, String> values, String source) throws ConfigException {
        ConfigReader reader = new ConfigReader(values);
        PumpConfig config = read(reader);
        if (reader.hasProblems()) {
            throw new ConfigException(reader.problems().stream().map(p -> source + ": " + p).toList());
        }
        return config;
    }

    /** Every key this loader knows, for the test that holds the example config complete. */
    static Set<String> knownKeys() {
        ConfigReader reader = new ConfigReader(Map.of());
        read(reader);
        return reader.knownKeys();
    }

    private static PumpConfig read(ConfigReader r) {
        String pumpId = r.read("pump.id", null, "1 to 32 letters, digits, '-' or '_'", Values::pumpId);
        Path stateDir = r.read("state.dir", null, "a directory for the database and other state", Values::path);
        Path socket = r.read("control.socket", stateDir == null ? "control.sock" : stateDir.resolve("control.sock").toString(),
                "a Unix socket path", Values::socketPath);
        ZoneId zone = r.read("clock.zone", "system", "a time zone id", Values::zone);

        MqttSettings mqtt = readMqtt(r);
        Map<Integer, String> pins = new LinkedHashMap<>();
        StepperConfig stepper = WiringReader.stepper(r, pins);
        SensorBankConfig sensors = WiringReader.sensors(r, pins);
        AnnunciatorConfig annunciator = WiringReader.annunciator(r, pins);
        PumpMechanics mechanics = readMechanics(r, stepper);
        DeliverySettings delivery = readDelivery(r, mechanics);
        ReservoirSettings reservoir = readReservoir(r, mechanics);
        DrugLibrary library = readLibrary(r);
        PatientBolusPolicy patientBolus = readPatientBolus(r, library);
        AlarmSettings alarms = readAlarms(r);
        Optional<AccuracySettings> accuracy = BalanceKeys.read(r);

        if (r.hasProblems()) {
            return null;
        }
        return new PumpConfig(pumpId, stateDir, socket, zone, mqtt, stepper, sensors, annunciator, mechanics, delivery, reservoir,
                library, patientBolus, alarms, accuracy);
    }

    private static MqttSettings readMqtt(ConfigReader r) {
        var url = r.read("mqtt.url", "", "tcp://host:port, ssl://host:port or empty", Values::brokerUrl);
        String username = r.read("mqtt.username", "", "a user name", s -> s);
        var passwordFile = r.read("mqtt.password-file", "", "a readable file", Values::readableFile);
        var caFile = r.read("mqtt.tls.ca-file", "", "a readable PEM file", Values::readableFile);
        var certFile = r.read("mqtt.tls.cert-file", "", "a readable PEM certificate", Values::readableFile);
        var keyFile = r.read("mqtt.tls.key-file", "", "a readable PEM (PKCS#8) private key", Values::readableFile);
        Duration keepalive = duration(r, "mqtt.keepalive", "30s", Duration.ofSeconds(2), Duration.ofMinutes(10));
        Duration statePeriod = duration(r, "mqtt.state-period", "60s", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration reconnectMax = duration(r, "mqtt.reconnect-max", "30s", Duration.ofSeconds(1), Duration.ofMinutes(10));
        Duration unreachable = duration(r, "mqtt.unreachable-after", "2m", Duration.ofSeconds(1), Duration.ofHours(24));
        Boolean homeAssistant = r.read("mqtt.homeassistant", "false", "true or false", Values::bool);
        String prefix = r.read("mqtt.homeassistant.prefix", "homeassistant", "a topic prefix of letters, digits, '-' and '_'",
                Values::topicPrefix);
        if (url == null || username == null || passwordFile == null || caFile == null || certFile == null || keyFile == null
                || keepalive == null || statePeriod == null || reconnectMax == null || unreachable == null || homeAssistant == null
                || prefix == null) {
            return null;
        }
        boolean tls = url.map(u -> "ssl".equals(u.getScheme())).orElse(false);
        if (passwordFile.isPresent() && username.isEmpty()) {
            r.problem("mqtt.password-file = " + passwordFile.get() + ": a password needs mqtt.username");
        }
        if (caFile.isPresent() && !tls) {
            r.problem("mqtt.tls.ca-file = " + caFile.get() + ": set, but mqtt.url is not ssl://, so TLS would not be used");
        }
        if (certFile.isPresent() != keyFile.isPresent()) {
            r.problem("mqtt.tls.cert-file and mqtt.tls.key-file go together: a client certificate needs its key");
            return null;
        }
        if (certFile.isPresent() && !tls) {
            r.problem("mqtt.tls.cert-file = " + certFile.get() + ": set, but mqtt.url is not ssl://, so TLS would not be used");
        }
        if (homeAssistant && url.isEmpty()) {
            r.problem("mqtt.homeassistant = true: Home Assistant discovery needs mqtt.url");
        }
        return new MqttSettings(url, username, passwordFile, caFile, certFile, keyFile, keepalive, statePeriod, reconnectMax, unreachable,
                homeAssistant, prefix);
    }

    private static PumpMechanics readMechanics(ConfigReader r, StepperConfig stepper) {
        Volume capacity = r.bounded("syringe.capacity", "20mL", "a volume like 20mL", Volume::parse,
                Volume.parse("0.5mL"), Volume.parse("100mL"));
        Volume perMicrostep = r.bounded("calibration.volume-per-microstep", null,
                "the volume one microstep pushes out, like 72.3nL (see the calibration walkthrough in docs/drivers.md)",
                Volume::parse, MIN_VOLUME_PER_MICROSTEP, MAX_VOLUME_PER_MICROSTEP);
        Frequency maxRate = r.bounded("stepper.max-step-rate", "1000Hz", "a step rate like 1000Hz", Frequency::parse,
                new Frequency(1), new Frequency(5_000));
        if (capacity == null || perMicrostep == null || maxRate == null) {
            return null;
        }
        if (stepper != null && maxRate.hertz() > stepper.chip().maxStepRateHz()) {
            r.problem("stepper.max-step-rate = " + maxRate + ": above what " + stepper.chip() + " timing allows ("
                    + stepper.chip().maxStepRateHz() + "Hz)");
            return null;
        }
        return build(r, "mechanics", () -> new PumpMechanics(capacity, perMicrostep, maxRate));
    }

    private static DeliverySettings readDelivery(ConfigReader r, PumpMechanics mechanics) {
        FlowRate primingRate = r.bounded("delivery.priming-rate", "1mL/min", "a flow rate like 1mL/min", FlowRate::parse,
                FlowRate.parse("0.01mL/min"), FlowRate.parse("10mL/min"));
        Volume primingMax = r.bounded("delivery.priming-max", "1mL", "a volume", Volume::parse, Volume.parse("0.01mL"), Volume.parse("5mL"));
        Duration maxSuspend = duration(r, "delivery.max-suspend", "24h", Duration.ofMinutes(1), Duration.ofDays(7));
        Volume primingPerDay = r.bounded("delivery.priming-max-per-day", "2mL", "a volume", Volume::parse, Volume.parse("0.01mL"),
                Volume.parse("50mL"));
        Volume catheter = r.bounded("catheter.volume", "0.2mL", "a volume", Volume::parse, Volume.ZERO, Volume.parse("5mL"));
        Volume uncertainty = r.bounded("store.max-crash-uncertainty", "20uL", "a volume", Volume::parse, Volume.parse("1uL"),
                Volume.parse("200uL"));
        if (primingRate == null || primingMax == null || primingPerDay == null || maxSuspend == null || catheter == null
                || uncertainty == null) {
            return null;
        }
        if (mechanics != null && uncertainty.compareTo(mechanics.volumePerMicrostep()) < 0) {
            r.problem("store.max-crash-uncertainty = " + uncertainty + ": must be at least one microstep (" + mechanics.volumePerMicrostep() + ")");
            return null;
        }
        if (primingPerDay.compareTo(primingMax) < 0) {
            r.problem("delivery.priming-max-per-day = " + primingPerDay + ": must be at least delivery.priming-max (" + primingMax + ")");
            return null;
        }
        if (mechanics != null) {
            // Priming must fit in half the step-rate ceiling, like any delivery, so a late loop can still catch up.
            BigInteger stepsPerHour = BigInteger.valueOf(primingRate.picolitresPerHour())
                    .divide(BigInteger.valueOf(mechanics.volumePerMicrostep().picolitres()));
            BigInteger plannable = BigInteger.valueOf(mechanics.maxStepRate().hertz() / 2 * 3_600);
            if (stepsPerHour.compareTo(plannable) > 0) {
                r.problem("delivery.priming-rate = " + primingRate + ": needs " + stepsPerHour.divide(BigInteger.valueOf(3_600))
                        + " microsteps/s with " + mechanics.volumePerMicrostep() + " per microstep; at most "
                        + mechanics.maxStepRate().hertz() / 2 + "/s (half of stepper.max-step-rate)");
                return null;
            }
        }
        return new DeliverySettings(primingRate, primingMax, primingPerDay, maxSuspend, catheter, uncertainty);
    }

    private static ReservoirSettings readReservoir(ConfigReader r, PumpMechanics mechanics) {
        Volume max = mechanics == null ? Volume.parse("100mL") : mechanics.syringeCapacity();
        Volume lowVolume = r.bounded("reservoir.low-volume", "2mL", "a volume", Volume::parse, Volume.ZERO, max);
        Duration lowDays = duration(r, "reservoir.low-days", "7d", Duration.ZERO, Duration.ofDays(90));
        Volume switchLevel = r.bounded("reservoir.switch-level", "2mL", "a volume", Volume::parse, Volume.ZERO, max);
        Volume margin = r.bounded("reservoir.discrepancy-margin", "0.5mL", "a volume", Volume::parse, Volume.parse("0.05mL"), max);
        if (lowVolume == null || lowDays == null || switchLevel == null || margin == null) {
            return null;
        }
        return new ReservoirSettings(lowVolume, lowDays, switchLevel, margin);
    }

    private static AlarmSettings readAlarms(ConfigReader r) {
        Duration silence = duration(r, "alarm.silence", "15m", Duration.ofMinutes(1), Duration.ofHours(2));
        Volume large = r.bounded("alarm.delivery.large-tolerance", "5uL", "a volume", Volume::parse, Volume.parse("0.1uL"), Volume.parse("1mL"));
        Volume small = r.bounded("alarm.delivery.small-tolerance", "1uL", "a volume", Volume::parse, Volume.parse("0.05uL"), Volume.parse("1mL"));
        Duration sustained = duration(r, "alarm.delivery.sustained", "10m", Duration.ofMinutes(1), Duration.ofHours(24));
        Duration suspendAfter = duration(r, "alarm.suspend.after", "2h", Duration.ofMinutes(1), Duration.ofDays(7));
        Duration suspendHigh = duration(r, "alarm.suspend.escalate-after", "6h", Duration.ofMinutes(2), Duration.ofDays(7));
        Duration notice = duration(r, "alarm.refill-due.notice", "3d", Duration.ZERO, Duration.ofDays(90));
        Duration restartGap = duration(r, "alarm.restart.min-gap", "0s", Duration.ZERO, Duration.ofHours(24));
        Long storageLow = r.bounded("alarm.storage.low-free-mb", "64", "a whole number of MiB", Values::integer, 1L, 1_000_000L);
        Duration halfLife = duration(r, "risk.half-life", "2h", Duration.ofMinutes(30), Duration.ofHours(12));
        Percent elevated = r.bounded("risk.elevated-below", "90%", "a percentage", Percent::parse, Percent.of(1), Percent.of(99));
        Percent high = r.bounded("risk.high-below", "75%", "a percentage", Percent::parse, Percent.of(1), Percent.of(99));
        Percent critical = r.bounded("risk.critical-below", "50%", "a percentage", Percent::parse, Percent.of(1), Percent.of(99));
        if (silence == null || large == null || small == null || sustained == null || suspendAfter == null || suspendHigh == null
                || notice == null || restartGap == null || storageLow == null || halfLife == null || elevated == null || high == null
                || critical == null) {
            return null;
        }
        if (small.compareTo(large) >= 0) {
            r.problem("alarm.delivery.small-tolerance = " + small + ": must be below alarm.delivery.large-tolerance (" + large + ")");
            return null;
        }
        if (suspendHigh.compareTo(suspendAfter) <= 0) {
            r.problem("alarm.suspend.escalate-after = " + Durations.format(suspendHigh) + ": must be after alarm.suspend.after ("
                    + Durations.format(suspendAfter) + ")");
            return null;
        }
        if (elevated.compareTo(high) <= 0 || high.compareTo(critical) <= 0) {
            r.problem("risk.elevated-below = " + elevated + ", risk.high-below = " + high + ", risk.critical-below = " + critical
                    + ": each must be below the one before");
            return null;
        }
        RiskSettings risk = new RiskSettings(halfLife, elevated, high, critical);
        return build(r, "alarm", () -> new AlarmSettings(silence, large, small, sustained, suspendAfter, suspendHigh, notice, restartGap,
                storageLow, risk));
    }

    private static PatientBolusPolicy readPatientBolus(ConfigReader r, DrugLibrary library) {
        Dose dose = r.bounded("patient-bolus.dose", "0mcg", "a dose; 0mcg turns patient boluses off", Dose::parse,
                Dose.ZERO, Dose.parse("1000mcg"));
        Duration over = duration(r, "patient-bolus.over", "5m", Duration.ofMinutes(1), Duration.ofHours(24));
        Duration lockout = duration(r, "patient-bolus.lockout", "2h", Duration.ofMinutes(10), Duration.ofHours(24));
        Long perDay = r.bounded("patient-bolus.max-per-day", "0", "a whole number", Values::integer, 0L, 24L);
        Dose perDayDose = r.bounded("patient-bolus.max-dose-per-day", "0mcg", "a dose", Dose::parse, Dose.ZERO, Dose.parse("1000mcg"));
        if (dose == null || over == null || lockout == null || perDay == null || perDayDose == null) {
            return null;
        }
        if (library != null && dose.compareTo(library.maxBolus()) > 0) {
            r.problem("patient-bolus.dose = " + dose + ": above library.bolus.max (" + library.maxBolus() + ")");
            return null;
        }
        if (dose.nanograms() > 0 && perDayDose.compareTo(dose) < 0) {
            r.problem("patient-bolus.max-dose-per-day = " + perDayDose + ": less than one patient bolus (" + dose + ")");
            return null;
        }
        return new PatientBolusPolicy(dose, over, lockout, perDay.intValue(), perDayDose);
    }

    private static DrugLibrary readLibrary(ConfigReader r) {
        List<Concentration> concentrations = r.read("library.concentrations", "50mcg/mL, 500mcg/mL, 1000mcg/mL, 2000mcg/mL",
                "a comma-separated list like 500mcg/mL, 2000mcg/mL", s -> Values.concentrations(s, 8));
        if (concentrations != null) {
            for (Concentration c : concentrations) {
                if (c.compareTo(Concentration.parse("1mcg/mL")) < 0 || c.compareTo(Concentration.parse("10000mcg/mL")) > 0) {
                    r.problem("library.concentrations = " + r.text("library.concentrations", "") + ": " + c
                            + " must be from 1mcg/mL to 10000mcg/mL");
                    concentrations = null;
                    break;
                }
            }
        }
        DailyRate minRate = DailyRate.parse("1mcg/day");
        DailyRate maxRate = DailyRate.parse("5000mcg/day");
        DailyRate soft = r.bounded("library.daily-dose.soft-max", "800mcg/day", "a daily rate", DailyRate::parse, minRate, maxRate);
        DailyRate hard = r.bounded("library.daily-dose.hard-max", "1500mcg/day", "a daily rate", DailyRate::parse, minRate, maxRate);
        DailyRate hardMin = r.bounded("library.daily-dose.hard-min", "10mcg/day", "a daily rate", DailyRate::parse, minRate,
                DailyRate.parse("100mcg/day"));
        Dose maxBolus = r.bounded("library.bolus.max", "100mcg", "a dose", Dose::parse, Dose.parse("1mcg"), Dose.parse("1000mcg"));
        Duration bolusMin = duration(r, "library.bolus.min-duration", "1m", Duration.ZERO, Duration.ofHours(1));
        Duration lockout = duration(r, "library.bolus.lockout", "1h", Duration.ZERO, Duration.ofHours(24));
        SpasticityOrigin origin = r.read("library.origin", "spinal", "spinal or cerebral", s -> Values.choice(s, SpasticityOrigin.class));
        Percent spinal = r.bounded("library.titration.spinal", "30%", "a percentage", Percent::parse, Percent.of(1), Percent.of(100));
        Percent cerebral = r.bounded("library.titration.cerebral", "15%", "a percentage", Percent::parse, Percent.of(1), Percent.of(100));
        if (soft != null && hard != null && soft.compareTo(hard) > 0) {
            r.problem("library.daily-dose.soft-max = " + soft + ": must not exceed library.daily-dose.hard-max (" + hard + ")");
            return null;
        }
        if (hardMin != null && soft != null && hardMin.compareTo(soft) > 0) {
            r.problem("library.daily-dose.hard-min = " + hardMin + ": must not exceed library.daily-dose.soft-max (" + soft + ")");
            return null;
        }
        if (hard != null && maxBolus != null && maxBolus.nanograms() > hard.nanogramsPerDay()) {
            r.problem("library.bolus.max = " + maxBolus + ": must not exceed one day at library.daily-dose.hard-max (" + hard + ")");
            return null;
        }
        if (concentrations == null || soft == null || hard == null || maxBolus == null || bolusMin == null || lockout == null
                || origin == null || spinal == null || cerebral == null || hardMin == null) {
            return null;
        }
        return new DrugLibrary(concentrations, soft, hard, maxBolus, bolusMin, lockout, origin, spinal, cerebral, hardMin);
    }

    static Duration duration(ConfigReader r, String key, String fallback, Duration min, Duration max) {
        return r.bounded(key, fallback, "a duration like 10m", Durations::parse, min, max, Durations::format);
    }

    static <T> T build(ConfigReader r, String what, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            r.problem(what + ": " + e.getMessage());
            return null;
        }
    }
}
