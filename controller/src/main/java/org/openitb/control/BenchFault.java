package org.openitb.control;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openitb.therapy.Durations;
import org.openitb.therapy.Mass;

/**
 * A fault the {@code sim} verb plays on the simulated bench, parsed once from its two words
 * (the client checks with the same parser before it connects) and typed from there on.
 */
public sealed interface BenchFault {

    /** Bounds of {@code sim freeze}: long enough to miss a systemd watchdog, short of a real outage. */
    Duration MIN_FREEZE = Duration.ofMillis(100);
    Duration MAX_FREEZE = Duration.ofSeconds(60);

    /** The fault as the verb's two words, as the reply and the log say it. */
    String words();

    /** The catheter's pressure switch is held tripped ({@code on}) or released. */
    record Occlusion(boolean on) implements BenchFault {
        @Override
        public String words() {
            return "occlusion " + (on ? "on" : "off");
        }
    }

    /** The motor stalls: steps are sent and the plunger does not move. */
    record Stall(boolean on) implements BenchFault {
        @Override
        public String words() {
            return "stall " + (on ? "on" : "off");
        }
    }

    /** The reservoir switch is forced low, forced ok, or left to the plant ({@code low} empty). */
    record ReservoirSwitch(Optional<Boolean> low) implements BenchFault {
        @Override
        public String words() {
            return "reservoir-switch " + low.map(l -> l ? "low" : "ok").orElse("auto");
        }
    }

    /** A burst of edges on one input: the occlusion switch, or the reservoir switch when {@code reservoir}. */
    record Chatter(boolean reservoir) implements BenchFault {
        @Override
        public String words() {
            return "chatter " + (reservoir ? "reservoir" : "occlusion");
        }
    }

    /** The dose loop hangs for {@code hang} of real time, within {@link #MIN_FREEZE} to {@link #MAX_FREEZE}. */
    record Freeze(Duration hang) implements BenchFault {
        @Override
        public String words() {
            return "freeze " + Durations.format(hang);
        }
    }

    /** What the simulated balance does: weighs ({@code ok}), or falls silent, talks garbage, overloads or never settles. */
    enum BalanceMode {
        OK, SILENT, GARBAGE, OVERLOAD, UNSETTLED
    }

    /** The simulated balance is set to {@code mode}. */
    record Balance(BalanceMode mode) implements BenchFault {
        @Override
        public String words() {
            return "balance " + mode.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The most noise the simulated balance may be given (standard deviation). */
    Mass MAX_NOISE = Mass.parse("100mg");

    /** The largest error the plant's stroke may be given, percent either way. */
    double MAX_PLANT_ERROR_PERCENT = 50;

    /** The plant's true stroke is {@code percent} off its calibration from now on (what the accuracy test should find). */
    record PlantError(double percent) implements BenchFault {
        @Override
        public String words() {
            return "plant-error " + BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
        }
    }

    /** The balance's vessel loses {@code mgPerHour} to evaporation from now on. */
    record Evaporation(double mgPerHour) implements BenchFault {
        @Override
        public String words() {
            return "evaporation " + BigDecimal.valueOf(mgPerHour).stripTrailingZeros().toPlainString() + "mg/h";
        }
    }

    /** The simulated balance's noise is {@code mg} (standard deviation) from now on. */
    record Noise(double mg) implements BenchFault {
        @Override
        public String words() {
            return "noise " + BigDecimal.valueOf(mg).stripTrailingZeros().toPlainString() + "mg";
        }
    }

    /** Whether this fault is played on the balance rather than on the pump's plant. */
    default boolean onTheBalance() {
        return this instanceof Balance || this instanceof PlantError || this instanceof Evaporation || this instanceof Noise;
    }

    /** Reads the verb's two words; the message says what would have been accepted. */
    static BenchFault parse(String what, String value) throws ProtocolException {
        if (what.equals("plant-error")) {
            return new PlantError(number(value, "%", -MAX_PLANT_ERROR_PERCENT, MAX_PLANT_ERROR_PERCENT, "sim plant-error takes a percent like -2%"));
        }
        if (what.equals("noise")) {
            Mass noise;
            try {
                noise = Mass.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("sim noise takes the balance's noise like 0.02mg: " + e.getMessage());
            }
            if (noise.compareTo(MAX_NOISE) > 0) {
                throw new ProtocolException("sim noise takes at most " + MAX_NOISE + ", not " + value);
            }
            return new Noise(noise.nanograms() / 1e6);
        }
        if (what.equals("evaporation")) {
            return new Evaporation(number(value, "mg/h", 0, 1_000, "sim evaporation takes a rate like 0.3mg/h"));
        }
        if (what.equals("freeze")) {
            Duration hang;
            try {
                hang = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("value: " + e.getMessage());
            }
            if (hang.compareTo(MIN_FREEZE) < 0 || hang.compareTo(MAX_FREEZE) > 0) {
                throw new ProtocolException("sim freeze takes " + Durations.format(MIN_FREEZE) + " to " + Durations.format(MAX_FREEZE)
                        + " of real time, not " + value);
            }
            return new Freeze(hang);
        }
        List<String> allowed = switch (what) {
            case "occlusion", "stall" -> List.of("on", "off");
            case "reservoir-switch" -> List.of("low", "ok", "auto");
            case "chatter" -> List.of("occlusion", "reservoir");
            case "balance" -> List.of("ok", "silent", "garbage", "overload", "unsettled");
            default -> throw new ProtocolException("sim takes occlusion, stall, reservoir-switch, chatter, freeze, balance, plant-error, evaporation or noise,"
                    + " not \"" + what + "\"");
        };
        if (!allowed.contains(value)) {
            throw new ProtocolException("sim " + what + " takes " + String.join(" or ", allowed) + ", not \"" + value + "\"");
        }
        return switch (what) {
            case "occlusion" -> new Occlusion(value.equals("on"));
            case "stall" -> new Stall(value.equals("on"));
            case "reservoir-switch" -> new ReservoirSwitch(value.equals("auto") ? Optional.empty() : Optional.of(value.equals("low")));
            case "balance" -> new Balance(BalanceMode.valueOf(value.toUpperCase(Locale.ROOT)));
            default -> new Chatter(value.equals("reservoir"));
        };
    }

    /** A number for a {@code sim} verb, or the verb's usage and what was wrong. */
    private static double number(String value, String unit, double min, double max, String usage) throws ProtocolException {
        try {
            return Numbers.parse(value, unit, min, max);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(usage + ": " + e.getMessage());
        }
    }
}
