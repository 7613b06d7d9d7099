package org.openitb.cli;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openitb.config.PumpConfig;
import org.openitb.drivers.sensor.SensorConfig;
import org.openitb.therapy.Durations;

/** A few lines that let an operator see what a config means before running it. */
final class ConfigSummary {

    private ConfigSummary() {
    }

    static String describe(PumpConfig c, List<String> pi4jPlugins) {
        var m = c.mechanics();
        var s = c.stepper();
        var lib = c.library();
        String sensors = c.sensors().sensors().stream()
                .map(ConfigSummary::sensor)
                .collect(Collectors.joining(", "));
        String plugins = pi4jPlugins.stream()
                .map(name -> name.substring(name.lastIndexOf('.') + 1).replace("Plugin", "").toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return String.join(System.lineSeparator(),
                "  pump " + c.pumpId() + "; state in " + c.stateDir() + "; control socket " + c.controlSocket()
                        + "; schedules in " + c.zone(),
                "  stepper " + s.chip() + " at 1/" + s.microsteps() + " microsteps (STEP " + s.stepPin() + ", DIR " + s.dirPin()
                        + ", ENABLE " + s.enablePin() + " active " + s.enableActive().name().toLowerCase(Locale.ROOT)
                        + "); watchdog " + Durations.format(s.watchdog()) + "; at most " + m.maxStepRate(),
                "  syringe " + m.syringeCapacity() + ", " + m.volumePerMicrostep() + " per microstep, "
                        + m.microstepsPerSyringe() + " microsteps of travel",
                "  sensors " + sensors + (c.sensors().supplyPin().isPresent()
                        ? "; supply BCM " + c.sensors().supplyPin().getAsInt() + ", self-test every " + Durations.format(c.sensors().selfTestPeriod())
                        : "; no supply pin, no self-test"),
                "  annunciator buzzer BCM " + c.annunciator().buzzerPin() + ", LED BCM " + c.annunciator().ledPin(),
                "  library " + lib.concentrations() + "; rates from " + lib.hardMinDaily() + "; daily soft " + lib.softMaxDaily() + ", hard " + lib.hardMaxDaily()
                        + "; bolus up to " + lib.maxBolus() + " every " + Durations.format(lib.bolusLockout())
                        + "; titration " + lib.maxChangePerDay() + "/24h (" + lib.origin().name().toLowerCase(Locale.ROOT) + ")",
                "  priming at " + c.delivery().primingRate() + ", at most " + c.delivery().primingMax() + " at once and "
                        + c.delivery().primingMaxPerDay() + " a day; dead volume " + c.delivery().catheterVolume()
                        + " (all a priming may push with the catheter connected); withdrawal estimate half-life "
                        + Durations.format(c.alarms().risk().halfLife()),
                "  MQTT " + (c.mqtt().enabled() ? c.mqtt().url().orElseThrow() + (c.mqtt().tls() ? " (TLS)" : " (no TLS)") : "off"),
                "  balance " + c.accuracy().map(a -> a.balance().port() + " at " + a.balance().baud() + " " + a.balance().dataBits()
                        + a.balance().parity().name().charAt(0) + a.balance().stopBits() + ", " + a.balance().protocol().name()
                        .toLowerCase(Locale.ROOT).replace('_', '-') + ", reads to " + a.balance().readability().toPlainString() + "g, every "
                        + Durations.format(a.readInterval())).orElse("none (balance.port)"),
                "  Pi4J plugins available: " + plugins);
    }

    private static String sensor(SensorConfig s) {
        return s.name() + " BCM " + s.pin() + " active " + s.activeLevel().name().toLowerCase(Locale.ROOT)
                + (s.selfTested() ? " (self-tested)" : "");
    }
}
