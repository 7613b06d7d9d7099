package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.therapy.Volume;

/** The calibration helper: the arithmetic to the picolitre, the line to paste, and every refusal. */
class CalibrateCommandTest {

    private static Cli calibrate(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "calibrate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = ProjectFiles.exampleConfig().toString();
        return Cli.run(all);
    }

    @Test
    void massOverDensityOverMicrostepsToThePicolitre() {
        assertEquals(new Volume(71_643), CalibrateCommand.perMicrostep(new BigDecimal("0.7150"), new BigDecimal("0.998"), 10_000));
        assertEquals(new Volume(100_000), CalibrateCommand.perMicrostep(new BigDecimal("1"), BigDecimal.ONE, 10_000));
        // 1 g / 3 microsteps: 333333333.33 pL, rounded to the picolitre.
        assertEquals(new Volume(333_333_333), CalibrateCommand.perMicrostep(BigDecimal.ONE, BigDecimal.ONE, 3));
    }

    @Test
    void printsTheMeasuredValueBesideTheConfiguredOneAndTheLineToSet() {
        Cli r = calibrate("--microsteps", "10000", "--mass", "715.0mg");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                10000 microsteps pushed out 0.715g at 0.998g/mL = 0.7164mL
                measured 71.643nL per microstep; configured 71.853nL (-0.29%%)
                set in %s:
                calibration.volume-per-microstep = 71.643nL
                then restart the daemon (sudo systemctl restart openitb) and refill: volumes and doses use the new value from then on
                """.formatted(ProjectFiles.exampleConfig()), r.out());
    }

    @Test
    void aFarOffResultIsPrintedWithAWarning() {
        Cli r = calibrate("--microsteps", "10000", "--mass", "0.5g", "--density", "1g/mL");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("measured 50nL per microstep; configured 71.853nL (-30.41%)"), r.out());
        assertTrue(r.out().contains("WARNING: more than 10% from the configured value"), r.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String[][] cases = {
            {"--microsteps", "0", "--mass", "1g"},
            {"--microsteps", "-5", "--mass", "1g"},
            {"--microsteps", "ten", "--mass", "1g"},
            {"--microsteps", "10000", "--mass", "1"},
            {"--microsteps", "10000", "--mass", "1kg"},
            {"--microsteps", "10000", "--mass", "NaNg"},
            {"--microsteps", "10000", "--mass", "0g"},
            {"--microsteps", "10000", "--mass", "101g"},
            {"--microsteps", "10000", "--mass", "1g", "--density", "1"},
            {"--microsteps", "10000", "--mass", "1g", "--density", "7g/mL"},
            {"--microsteps", "1", "--mass", "100g"},
            {"--mass", "1g"},
        };
        for (String[] c : cases) {
            Cli r = calibrate(c);
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("openitb: "), r.err());
            assertEquals("", r.out());
        }
    }
}
