package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.openitb.accuracy.AccuracyRun;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Gravimetry;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestSetup;
import org.openitb.drivers.balance.BalanceProtocol;
import org.openitb.drivers.balance.BalanceReading;
import org.openitb.drivers.balance.BalanceSim;
import org.openitb.report.AccuracyReport;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;

/**
 * The gravimetric test on the simulated bench: the pump doses into a vessel on a balance that
 * weighs what left the catheter's tip, and the analysis finds the pump's error, including one the
 * plant was given on purpose.
 */
class AccuracyScenarioTest {

    /** 71.853 nL, the shipped calibration, in uL. */
    private static final double MICROSTEP_UL = 0.071_853;
    /** 400 mcg/day of 500 mcg/mL is 0.8 mL a day: 33.333 uL/h, worked by hand. */
    private static final double ITB_RATE_UL_PER_HOUR = 800.0 / 24;
    /** IEC 60601-2-24's hospital scheme: read every 30 s, the second hour analysed, windows of 2 to 31 minutes. */
    private static final TestSetup SETUP = new TestSetup(ITB_RATE_UL_PER_HOUR, 0.998, ofSeconds(30), 0, 0.00001, ofHours(1), ofHours(2),
            List.of(ofMinutes(2), ofMinutes(5), ofMinutes(11), ofMinutes(19), ofMinutes(31)));

    /** Two hours at 400 mcg/day, read every 30 s, into a vessel whose microstep is {@code plantMicrostepUl}. */
    private static Analysis runAt400McgPerDay(double plantMicrostepUl) {
        return runAt400McgPerDay(plantMicrostepUl, (balance, elapsed) -> { }, new ArrayList<>());
    }

    /** As above; {@code during} may upset the balance at each read's time, and {@code record} gets every read. */
    private static Analysis runAt400McgPerDay(double plantMicrostepUl, Upset during, List<Recorded> record) {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.primeCatheter();
            Vessel vessel = new Vessel(20, 0.998, plantMicrostepUl, 0, bench.clock.nanos());
            bench.plant.onTipOut(vessel::tipOut);
            BalanceSim balance = new BalanceSim(BalanceProtocol.MT_SICS, new BigDecimal("0.00001"),
                    () -> vessel.grams(bench.clock.nanos()), 0, 7);
            long start = bench.clock.nanos();
            AccuracyRun run = new AccuracyRun(balance, ofSeconds(30), ofHours(2), start, List.of(), record::add);
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"),
                    Concentration.parse("500mcg/mL"))));
            long next = run.tick(bench.clock.nanos());
            while (next != Long.MAX_VALUE) {
                bench.run(Duration.ofNanos(next - bench.clock.nanos()));
                during.before(balance, Duration.ofNanos(bench.clock.nanos() - start));
                next = run.tick(bench.clock.nanos());
            }
            Analysis a = Gravimetry.analyse(run.readings(), SETUP);
            StringBuilder trumpet = new StringBuilder();
            a.trumpet().forEach(w -> trumpet.append(String.format(Locale.ROOT, " %dmin %+.2f/%+.2f%%", w.length().toMinutes(),
                    w.max().orElseThrow().percent(), w.min().orElseThrow().percent())));
            System.out.printf(Locale.ROOT, "AccuracyScenarioTest: plant microstep %.6f uL: overall %+.3f %% (+/- %.3f), %d microsteps, %d faults;%s%n",
                    plantMicrostepUl, a.overall().orElseThrow().percent(), a.overall().orElseThrow().uncertaintyPercent(),
                    bench.delivered(), run.faults(), trumpet);
            return a;
        }
    }

    /** Something done to the balance before the read at {@code elapsed} into the test. */
    @FunctionalInterface
    private interface Upset {
        void before(BalanceSim balance, Duration elapsed);
    }

    @Test
    void aPumpDosingAsCalibratedIsWithinAMicrostepOverTheSecondHour() {
        Analysis a = runAt400McgPerDay(MICROSTEP_UL);
        // 33.333 uL/h of 71.853 nL is 463.91 microsteps an hour: one microstep more or less is 0.22 %.
        double overall = a.overall().orElseThrow().percent();
        assertTrue(Math.abs(overall) < 0.22, "overall " + overall + " %");
        // 2 minutes are due 15.46 microsteps and get 15 or 16 of them: -3.0 % or +3.5 %, the stepper's
        // own granularity, and nothing beyond it.
        Analysis.Window two = a.trumpet().get(0);
        assertTrue(two.max().orElseThrow().percent() < 3.5 && two.min().orElseThrow().percent() > -3.0, two.toString());
        // 31 minutes are due 239.7: a microstep is 0.42 %.
        Analysis.Window longest = a.trumpet().get(4);
        assertTrue(Math.abs(longest.max().orElseThrow().percent()) < 0.42 && Math.abs(longest.min().orElseThrow().percent()) < 0.42,
                longest.toString());
        assertEquals(59, longest.windows(), "the second hour holds (60 - 31) / 0.5 + 1 = 59 windows of 31 minutes");
        assertEquals(59, longest.expected());
    }

    @Test
    void theTestWritesAPageAPersonWouldRatherLookAtThanRead() throws IOException {
        List<Recorded> record = new ArrayList<>();
        Analysis a = runAt400McgPerDay(MICROSTEP_UL, (balance, elapsed) -> balance.silent(
                elapsed.compareTo(ofMinutes(80)) > 0 && elapsed.compareTo(ofMinutes(81)) <= 0), record);
        String html = AccuracyReport.html("Simulated bench at 400 mcg/day of 500 mcg/mL (33.333 uL/h)", SETUP, a, record, 5);
        Path out = Path.of("target", "accuracy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("simulated-400mcg-per-day.html"), html);
        Files.write(out.resolve("simulated-400mcg-per-day-trumpet.png"), BitmapEncoder.getBitmapBytes(AccuracyReport.trumpet(a, 5),
                BitmapEncoder.BitmapFormat.PNG));
        assertTrue(html.contains("241 reads, 2 without a stable weight"), "80.5 and 81 min: silent");
        assertTrue(html.contains("<td>silent</td><td>no reply</td>"), html.substring(0, 400));
    }

    @Test
    void aPlantThatPushesTwoPercentLessThanItsCalibrationShowsAsMinusTwoPercent() {
        Analysis a = runAt400McgPerDay(MICROSTEP_UL * 0.98);
        double overall = a.overall().orElseThrow().percent();
        assertEquals(-2.0, overall, 0.22, "the calibration error, within a microstep (0.22 % of the hour)");
    }

    @Test
    void theVesselGetsWhatLeftTheTipThroughTheLinesCompliance() {
        Vessel v = new Vessel(10, 1.0, 0.1, 0, 0);
        v.tipOut(0);
        // The relief time is 2 s: after 2 s, 1 - 1/e of the microstep has arrived.
        assertEquals(0.1 * (1 - Math.exp(-1)), v.arrivedUl(2_000_000_000L), 1e-12);
        assertEquals(10 + 0.1 / 1_000, v.grams(Duration.ofMinutes(5).toNanos()), 1e-9, "all of it, in the end: 0.1 uL of 1 g/mL");
        Vessel drying = new Vessel(10, 1.0, 0.1, 6, 0);
        assertEquals(10 - 0.006, drying.grams(Duration.ofHours(1).toNanos()), 1e-12, "6 mg/h evaporates");
    }

    @Test
    void aBalanceSilentForFiveMinutesIsInTheRecordAndTheTrumpetSaysWhatItCouldNotMeasure() {
        List<Recorded> record = new ArrayList<>();
        Analysis a = runAt400McgPerDay(MICROSTEP_UL, (balance, elapsed) -> balance.silent(
                elapsed.compareTo(ofMinutes(80)) > 0 && elapsed.compareTo(ofMinutes(85)) <= 0), record);
        // Reads at 80.5 to 85 min: ten silent slots, each recorded as such.
        assertEquals(10, record.stream().filter(r -> r.reading().status() == BalanceReading.Status.SILENT).count());
        assertEquals(241, record.size(), "every slot of the 2 hours has its line in the record");
        Analysis.Window two = a.trumpet().get(0);
        // The second hour holds 117 windows of 2 minutes (4 slots). One is lost when either end falls in the silent ten:
        // 10 start there, 10 end there, 6 do both: 14 lost, 103 measured.
        assertEquals(117, two.expected());
        assertEquals(103, two.windows());
        assertEquals(0, a.overall().orElseThrow().percent(), 0.22, "the overall error needs only the period's two ends");
    }
}
