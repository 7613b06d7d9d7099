package org.openitb.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PumpConfig;
import org.openitb.therapy.Mass;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code openitb calibrate}: from a gravimetric run (prime exactly N microsteps into a weighed
 * vial), the volume one microstep pushes, next to the configured one, as the config line to set.
 * Touches no daemon and no file: the operator edits the config and restarts, on purpose.
 */
@Command(name = "calibrate", description = "Compute calibration.volume-per-microstep from N primed microsteps and the mass they pushed out.")
final class CalibrateCommand implements Callable<Integer> {

    /** A result this far from the configured value is suspicious enough to say so. */
    static final BigDecimal SUSPICIOUS_PERCENT = BigDecimal.TEN;

    @Mixin
    ConfigOption config;

    @Option(names = "--microsteps", paramLabel = "N", required = true, description = "How many microsteps were primed (prime --microsteps N).")
    long microsteps;

    @Option(names = "--mass", paramLabel = "MASS", required = true, description = "What they pushed out, weighed: e.g. 0.7150g or 715.0mg.")
    String mass;

    @Option(names = "--density", paramLabel = "DENSITY", defaultValue = "0.998g/mL",
            description = "Density of the liquid (default: ${DEFAULT-VALUE}, water at 20 °C).")
    String density;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!TherapyCommand.PrimeMicrosteps.allows(microsteps)) {
            throw new InvalidInputException("--microsteps " + microsteps + ": must be 1 to " + TherapyCommand.PrimeMicrosteps.MAX);
        }
        BigDecimal grams;
        try {
            grams = Mass.parse(mass).grams();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--mass " + e.getMessage());
        }
        if (grams.compareTo(new BigDecimal("0.001")) < 0 || grams.compareTo(new BigDecimal("100")) > 0) {
            throw new InvalidInputException("--mass " + mass + ": must be 1mg to 100g");
        }
        BigDecimal gramsPerMl = quantity("--density", density, Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(g/mL)"), "a density like 0.998g/mL");
        if (gramsPerMl.compareTo(new BigDecimal("0.5")) < 0 || gramsPerMl.compareTo(new BigDecimal("2")) > 0) {
            throw new InvalidInputException("--density " + density + ": must be 0.5g/mL to 2g/mL");
        }
        PumpConfig pump = config.load();
        Volume measured = perMicrostep(grams, gramsPerMl, microsteps);
        if (measured.compareTo(ConfigLoader.MIN_VOLUME_PER_MICROSTEP) < 0 || measured.compareTo(ConfigLoader.MAX_VOLUME_PER_MICROSTEP) > 0) {
            throw new InvalidInputException("that is " + measured + " per microstep, outside " + ConfigLoader.MIN_VOLUME_PER_MICROSTEP + ".."
                    + ConfigLoader.MAX_VOLUME_PER_MICROSTEP + ": check the count and the weighing");
        }
        Volume configured = pump.mechanics().volumePerMicrostep();
        BigDecimal percent = BigDecimal.valueOf(measured.picolitres() - configured.picolitres()).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(configured.picolitres()), 2, RoundingMode.HALF_EVEN);
        PrintWriter out = spec.commandLine().getOut();
        out.println(microsteps + " microsteps pushed out " + grams.toPlainString() + "g at " + gramsPerMl.toPlainString() + "g/mL = "
                + grams.divide(gramsPerMl, MathContext.DECIMAL64).setScale(4, RoundingMode.HALF_EVEN).toPlainString() + "mL");
        out.println("measured " + measured + " per microstep; configured " + configured + " ("
                + (percent.signum() > 0 ? "+" : "") + percent.toPlainString() + "%)");
        if (percent.abs().compareTo(SUSPICIOUS_PERCENT) > 0) {
            out.println("WARNING: more than " + SUSPICIOUS_PERCENT + "% from the configured value: repeat the run before trusting it"
                    + " (air in the line, a drop left on the needle, the wrong count?)");
        }
        out.println("set in " + config.file() + ":");
        out.println("calibration.volume-per-microstep = " + measured);
        out.println("then restart the daemon (sudo systemctl restart openitb) and refill: volumes and doses use the new value from then on");
        out.flush();
        return ExitCode.OK;
    }

    /** mass / density / N, to the picolitre (the config's resolution), rounded half-even. */
    static Volume perMicrostep(BigDecimal grams, BigDecimal gramsPerMl, long microsteps) {
        BigDecimal picolitres = grams.multiply(BigDecimal.valueOf(1_000_000_000L))
                .divide(gramsPerMl.multiply(BigDecimal.valueOf(microsteps)), 0, RoundingMode.HALF_EVEN);
        return new Volume(picolitres.longValueExact());
    }

    private static BigDecimal quantity(String option, String text, Pattern pattern, String what) {
        Matcher m = pattern.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 12) {
            throw new InvalidInputException(option + " " + text + ": expected " + what);
        }
        return new BigDecimal(m.group(1));
    }
}
