package org.openitb.sim;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmType;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/** Refills, the refill error they are guarded against, and the bridge after a change of concentration. */
class RefillScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");
    private static final Concentration C2000 = Concentration.parse("2000mcg/mL");

    private static TherapyCommand program(String rate, Concentration c) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), c));
    }

    private static TherapyCommand refill(String volume, Concentration c) {
        return new TherapyCommand.Refill(Volume.parse(volume), c, Optional.empty());
    }

    private static TherapyCommand refillWith(String volume, Concentration c, String rate) {
        return new TherapyCommand.Refill(Volume.parse(volume), c, Optional.of(new ContinuousProgram(DailyRate.parse(rate), c)));
    }

    private static void assertRefused(String message, CommandResult result) {
        assertEquals(Outcome.REFUSED, result.outcome(), result.message());
        assertEquals(message, result.message());
    }

    @Test
    void aRefillChecksWhatWasWithdrawnAgainstTheCountAndAlarmsWhenTheyDisagree() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("400mcg/day", C500));
            bench.run(ofDays(5));
            // By hand: 400 mcg/day of 500 mcg/mL is 0.8 mL a day; five days leave 16 mL of 20.
            assertEquals(16.0, bench.status().supply().remaining().picolitres() / 1e9, 0.001);
            // More drawn off than a 20 mL syringe holds is a typo, not a finding: refused, and nothing changes.
            CommandResult typo = bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C500, Optional.empty(),
                    Optional.of(Volume.parse("30mL"))));
            assertEquals(Outcome.REFUSED, typo.outcome());
            assertEquals("withdrawn 30mL is more than the syringe holds (20mL, syringe.capacity): check the volume withdrawn", typo.message());
            assertEquals(16.0, bench.status().supply().remaining().picolitres() / 1e9, 0.001);
            // Only 14 mL drawn off: 2 mL short of the count, beyond the 0.5 mL margin. A leak, or a short fill before.
            CommandResult leak = bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C500, Optional.empty(),
                    Optional.of(Volume.parse("14mL"))));
            assertEquals(Outcome.APPLIED, leak.outcome(), "the refill itself is recorded: the syringe holds what it holds");
            assertTrue(leak.message().contains("DISCREPANCY: withdrew 14mL where the pump counted 16.000mL left: 2.000mL less (a leak,"),
                    leak.message());
            bench.run(Duration.ofSeconds(2));
            Alarm alarm = bench.openAlarm(AlarmType.RESERVOIR_DISCREPANCY);
            assertEquals(Priority.MEDIUM, alarm.priority());
            assertTrue(alarm.withdrawalRisk() && alarm.overdoseRisk());
            bench.run(ofHours(6));
            assertEquals(alarm.id(), bench.openAlarm(AlarmType.RESERVOIR_DISCREPANCY).id(), "told once, kept until acknowledged");
            bench.ack(alarm.id(), "nurse");
            assertTrue(bench.alarm(AlarmType.RESERVOIR_DISCREPANCY).isEmpty());
            // A residual within the margin of the count raises nothing.
            bench.run(ofDays(1));
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C500, Optional.empty(),
                    Optional.of(Volume.parse("18.9mL")))).outcome());
            bench.run(ofHours(1));
            assertTrue(bench.alarm(AlarmType.RESERVOIR_DISCREPANCY).isEmpty(), "18.9 mL against 18.8 counted");
        }
    }

    @Test
    void aRefillThatLeavesTheReservoirLowIsTakenButSaidPlainly() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("400mcg/day", C500));
            CommandResult small = bench.command(refill("3mL", C500));
            assertEquals(Outcome.APPLIED, small.outcome());
            // 3 mL at 0.8 mL a day is under four days: fewer than reservoir.low-days (7).
            assertTrue(small.message().contains("; the reservoir is LOW already: "), small.message());
        }
    }

    @Test
    void aRefillOfTheSameConcentrationFillsTheSyringeAndTherapyGoesOn() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("800mcg/day", C500));
            bench.run(ofDays(5));
            assertTrue(bench.status().supply().remaining().compareTo(Volume.parse("13mL")) < 0);
            CommandResult preview = bench.preview(refill("20mL", C500));
            assertEquals(Outcome.PREVIEW, preview.outcome());
            assertTrue(preview.before().get(0).matches("reservoir 12\\.\\d{3}mL of 500mcg/mL"), preview.before().toString());
            assertEquals("reservoir 20mL of 500mcg/mL", preview.after().get(0));
            assertEquals(Outcome.APPLIED, bench.command(refill("20mL", C500)).outcome());
            assertEquals(Volume.parse("20mL"), bench.status().supply().remaining());
            assertEquals(0, bench.plant.plungerMicrosteps(), "the operator's refill moved the plunger back");
            assertEquals(Optional.empty(), bench.status().running().bridge());
            long before = bench.delivered();
            bench.run(ofHours(6));
            assertTrue(bench.delivered() > before, "delivering on");
        }
    }

    @Test
    void aRefillOfAnotherConcentrationAloneIsTheClassicRefillErrorAndIsRefused() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("400mcg/day", C500));
            bench.run(ofHours(1));
            assertRefused("a refill of 2000mcg/mL does not match the running program's 500mcg/mL: at the same rate that is 4 times the"
                    + " drug, the classic refill error; give the program re-written for 2000mcg/mL with the refill (--dose or --step),"
                    + " to be checked and confirmed with it", bench.command(refill("20mL", C2000)));
            assertEquals(Optional.of(C500), bench.status().supply().concentration(), "nothing changed");
        }
    }

    @Test
    void refillsTheSyringeCannotHoldOrTheLibraryDoesNotKnowAreRefused() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("400mcg/day", C500));
            assertRefused("a refill of 25mL is more than the syringe holds (20mL, syringe.capacity); hard limits cannot be overridden",
                    bench.command(refill("25mL", C500)));
            assertRefused("a refill of 0mL is not a refill", bench.command(refill("0mL", C500)));
            assertRefused("concentration 750mcg/mL is not in the drug library (library.concentrations: 50mcg/mL, 500mcg/mL, 1000mcg/mL,"
                    + " 2000mcg/mL); hard limits cannot be overridden", bench.command(refill("20mL", Concentration.parse("750mcg/mL"))));
            assertRefused("the program given with the refill is written for 500mcg/mL, the refill is 2000mcg/mL; they must match",
                    bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C2000,
                            Optional.of(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)))));
            bench.command(new TherapyCommand.StartBolus(Dose.parse("20mcg"), ofMinutes(10)));
            assertRefused("a bolus 20mcg over 10m is under way until 2026-01-05 00:10; refill after it", bench.command(refill("20mL", C500)));
        }
    }

    @Test
    void afterAChangeOfConcentrationTheCatheterIsBridgedSoTheDoseRateNeverJumps() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(program("400mcg/day", C500));
            bench.run(ofDays(1));
            CommandResult preview = bench.preview(refillWith("20mL", C2000, "400mcg/day"));
            assertTrue(preview.after().contains("bridge: the catheter's 0.2mL of 500mcg/mL is pushed at its own volume rate first"),
                    preview.after().toString());
            CommandResult result = bench.command(refillWith("20mL", C2000, "400mcg/day"));
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            assertTrue(bench.status().running().bridge().orElseThrow().startsWith("bridging the catheter at 500mcg/mL: 2784 microsteps to go"),
                    bench.status().running().bridge().toString());
            long atRefill = bench.delivered();
            Dose drugAtRefill = bench.status().counts().patientDrug();
            Dose syringeAtRefill = bench.status().counts().deliveredDrug();

            // 0.2 mL at 400 mcg/day of 500 mcg/mL (0.8 mL/day) takes six hours: the old drug, at the prescribed dose rate.
            bench.run(ofHours(5));
            assertTrue(bench.status().running().bridge().isPresent());
            while (bench.status().running().bridge().isPresent()) {
                bench.run(ofMinutes(1));
            }
            assertTrue(bench.eventTypes().contains("bridge-completed"));
            assertEquals(6 * 60, Duration.ofNanos(bench.clock.nanos()).toMinutes() - 24 * 60, 2,
                    "0.2 mL at 400 mcg/day of 500 mcg/mL (0.8 mL/day) took six hours");
            assertEquals(2_784, bench.delivered() - atRefill, 2, "the catheter volume went at the old volume rate");

            long afterBridge = bench.delivered();
            bench.run(ofDays(1));
            // At 2000 mcg/mL the same 400 mcg/day is a quarter of the volume: 2783 microsteps a day, not 11134.
            assertEquals(2_783, bench.delivered() - afterBridge, 2);

            // The drug reaching the patient stayed at 400 mcg/day all along, bridge and after.
            long minutesSinceRefill = Duration.ofNanos(bench.clock.nanos()).toMinutes() - 24 * 60;
            long drugNg = bench.status().counts().patientDrug().nanograms() - drugAtRefill.nanograms();
            long expectedNg = BigInteger.valueOf(400_000).multiply(BigInteger.valueOf(minutesSinceRefill))
                    .divide(BigInteger.valueOf(24 * 60)).longValueExact();
            assertEquals(expectedNg, drugNg, 150, "within a microstep of 2000 mcg/mL (144 ng)");
            // Out of the syringe, everything since the refill was the new 2000 mcg/mL, the bridge's steps
            // too: 71.853 nL x 2000 mcg/mL = 143.706 ng a microstep (each total rounds down to the ng).
            long syringeNg = bench.status().counts().deliveredDrug().nanograms() - syringeAtRefill.nanograms();
            assertEquals((bench.delivered() - atRefill) * 143_706 / 1_000, syringeNg, 1,
                    "the syringe's own concentration, not the catheter's");
        }
    }

    @Test
    void noBolusWhileBridgingAndPeriodicBolusesWaitForItsEnd() {
        try (Bench bench = Bench.utc()) {
            var periodic = new ContinuousProgram(DailyRate.parse("400mcg/day"), C500,
                    Optional.of(new PeriodicBolus(Dose.parse("20mcg"), ofHours(4), ofMinutes(10))));
            bench.refill("20mL", "500mcg/mL");
            bench.command(new TherapyCommand.SetProgram(periodic));
            bench.run(ofHours(4).plusMinutes(30));
            var atHigher = new ContinuousProgram(DailyRate.parse("400mcg/day"), C2000,
                    Optional.of(new PeriodicBolus(Dose.parse("20mcg"), ofHours(4), ofMinutes(10))));
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C2000, Optional.of(atHigher))).outcome());
            assertRefused("the catheter is being bridged after a change of concentration; boluses wait until it ends",
                    bench.command(new TherapyCommand.StartBolus(Dose.parse("10mcg"), ofMinutes(10))));
            long bolusesBefore = bench.events.stream().filter(e -> e.type().equals("bolus-started")).count();
            bench.run(ofHours(5)); // the periodic bolus due 4 h after the refill waits for the bridge (6 h)
            assertEquals(bolusesBefore, bench.events.stream().filter(e -> e.type().equals("bolus-started")).count());
            bench.run(ofHours(2));
            assertEquals(bolusesBefore + 1, bench.events.stream().filter(e -> e.type().equals("bolus-started")).count(),
                    "given once the bridge ended");
        }
    }
}
