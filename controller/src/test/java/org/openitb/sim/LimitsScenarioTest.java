package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/** Every refusal of the drug library and of the pump's state, with the message an operator reads. */
class LimitsScenarioTest {

    private static TherapyCommand program(String rate, String concentration) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), Concentration.parse(concentration)));
    }

    private static TherapyCommand flex(String... steps) {
        return new TherapyCommand.SetProgram(new FlexProgram(new FlexSchedule(Arrays.stream(steps).map(FlexStep::parse).toList()),
                Concentration.parse("500mcg/mL"), Optional.empty()));
    }

    private static TherapyCommand bolus(String dose, long minutes) {
        return new TherapyCommand.StartBolus(Dose.parse(dose), ofMinutes(minutes));
    }

    private static void assertRefused(String message, CommandResult result) {
        assertEquals(Outcome.REFUSED, result.outcome(), result.message());
        assertEquals(message, result.message());
    }

    @Test
    void programsAgainstTheDrugLibrary() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            assertRefused("concentration 750mcg/mL is not in the drug library (library.concentrations: 50mcg/mL, 500mcg/mL,"
                    + " 1000mcg/mL, 2000mcg/mL); hard limits cannot be overridden", bench.command(program("400mcg/day", "750mcg/mL")));
            assertRefused("basal rate 1600mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max);"
                    + " hard limits cannot be overridden", bench.command(program("1600mcg/day", "500mcg/mL"), true));
            assertRefused("a rate of 0mcg/day is not a program; use suspend to stop delivery; hard limits cannot be overridden",
                    bench.command(program("0mcg/day", "500mcg/mL")));
            assertRefused("daily dose 900mcg/day is above the soft limit of 800mcg/day (library.daily-dose.soft-max);"
                    + " this is a soft limit: repeat with --override-soft-limit to accept it", bench.command(program("900mcg/day", "500mcg/mL")));
            CommandResult overridden = bench.command(program("900mcg/day", "500mcg/mL"), true);
            assertEquals(Outcome.APPLIED, overridden.outcome());
            assertTrue(overridden.after().contains("OVERRIDDEN: daily dose 900mcg/day is above the soft limit of 800mcg/day"
                    + " (library.daily-dose.soft-max)"), overridden.after().toString());
            assertEquals(List.of("daily dose 900mcg/day is above the soft limit of 800mcg/day (library.daily-dose.soft-max)"),
                    bench.events.get(bench.events.size() - 1).details().get("overridden"));
        }
    }

    @Test
    void aPeriodicBolusCountsTowardsTheDailyDose() {
        try (Bench bench = Bench.utc()) {
            var program = new ContinuousProgram(DailyRate.parse("1200mcg/day"), Concentration.parse("500mcg/mL"),
                    Optional.of(new PeriodicBolus(Dose.parse("100mcg"), ofHours(6), ofMinutes(10))));
            bench.refill("20mL", "500mcg/mL");
            assertRefused("daily dose 1600mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max);"
                    + " hard limits cannot be overridden", bench.command(new TherapyCommand.SetProgram(program), true));
        }
    }

    private static final String SOFT = "; this is a soft limit: repeat with --override-soft-limit to accept it";
    private static final String SPINAL = "the limit is 30% per 24 h for spinal origin (library.titration.spinal)";

    @Test
    void theTitrationLimitComparesWithEveryProgramInForceInTheLast24Hours() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.run(ofHours(2));
            assertRefused("daily dose 600mcg/day is 50% above 400mcg/day, the lowest daily dose in force in the last 24 h; " + SPINAL + SOFT,
                    bench.command(program("600mcg/day", "500mcg/mL")));
            assertEquals(Outcome.APPLIED, bench.command(program("520mcg/day", "500mcg/mL")).outcome(), "30% is within the limit");
            // Stepping on from 520 within the same 24 h is still measured from 400.
            assertEquals(Outcome.REFUSED, bench.command(program("560mcg/day", "500mcg/mL")).outcome());
            // And stepping down from 520 is measured from 520: (520 - 200) / 520 = 61.5 %.
            assertRefused("daily dose 200mcg/day is 61.5% below 520mcg/day, the highest daily dose in force in the last 24 h; " + SPINAL + SOFT,
                    bench.command(program("200mcg/day", "500mcg/mL")));
            bench.run(ofHours(23));
            assertEquals(Outcome.REFUSED, bench.command(program("600mcg/day", "500mcg/mL")).outcome(),
                    "23 h after the change to 520, the 400 that ran before it is still within the last 24 h");
            bench.run(ofHours(1));
            assertEquals(Outcome.APPLIED, bench.command(program("600mcg/day", "500mcg/mL")).outcome(), "a day on, only 520 was in force");
        }
    }

    @Test
    void noSequenceOfSmallChangesBeatsTheLimitWithinADay() {
        // 400 -> 520 -> 400, and a day after the 520: +69 % on what was in force an hour before. Each
        // change is within 30 % of the last; the program of exactly 24 h ago was the 520.
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.run(ofHours(1));
            assertEquals(Outcome.APPLIED, bench.command(program("520mcg/day", "500mcg/mL")).outcome());
            bench.run(ofHours(1));
            assertEquals(Outcome.APPLIED, bench.command(program("400mcg/day", "500mcg/mL")).outcome());
            bench.run(ofMinutes(23 * 60 + 30));
            assertRefused("daily dose 676mcg/day is 69% above 400mcg/day, the lowest daily dose in force in the last 24 h; " + SPINAL + SOFT,
                    bench.command(program("676mcg/day", "500mcg/mL")));
        }
        // 400, 520, 280, 520, 280: each step within 30 % of the one before and of the first, -46 % and +86 % in turn.
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.run(ofHours(2));
            assertEquals(Outcome.APPLIED, bench.command(program("520mcg/day", "500mcg/mL")).outcome());
            bench.run(ofHours(2));
            assertRefused("daily dose 280mcg/day is 46.2% below 520mcg/day, the highest daily dose in force in the last 24 h; " + SPINAL + SOFT,
                    bench.command(program("280mcg/day", "500mcg/mL")));
            assertEquals(Outcome.APPLIED, bench.command(program("364mcg/day", "500mcg/mL")).outcome(), "30 % below the highest, 520");
            assertEquals(Outcome.REFUSED, bench.command(program("520mcg/day", "500mcg/mL")).outcome(), "43 % above the lowest, 364");
        }
    }

    @Test
    void everyFlexStepIsARateTheLimitsSee() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("520mcg/day", "500mcg/mL"));
            bench.run(ofHours(25));
            // The same 520 mcg a day, given as 8 h at 1500 and 16 h at 30: 3.75 times the rate in force at night.
            assertRefused("basal rate 1500mcg/day is above the soft limit of 800mcg/day (library.daily-dose.soft-max)" + SOFT,
                    bench.command(flex("00:00=1500mcg/day", "08:00=30mcg/day")));
            // The same 520 mcg a day as 8 h at 780 and 16 h at 390: within every library limit, 50 % above the night's rate.
            assertRefused("at 00:00 the rate would be 780mcg/day, 50% above 520mcg/day, the lowest rate in force at that time of day"
                    + " in the last 24 h; " + SPINAL + SOFT, bench.command(flex("00:00=780mcg/day", "08:00=390mcg/day")));
            assertRefused("a flex step of 0mcg/day stops delivery for hours with no alarm; use suspend --for to stop delivery;"
                    + " hard limits cannot be overridden", bench.command(flex("00:00=600mcg/day", "12:00=0mcg/day"), true));
            // A thousandth of a microgram a day is a stop in all but name (one microstep every 36 days at 500 mcg/mL), override or not.
            assertRefused("a rate of 0.001mcg/day is below the least the library allows, 10mcg/day (library.daily-dose.hard-min): it stops"
                    + " delivery in all but name, with no alarm; use suspend to stop delivery; hard limits cannot be overridden",
                    bench.command(flex("00:00=600mcg/day", "12:00=0.001mcg/day"), true));
            assertRefused("a rate of 9.999mcg/day is below the least the library allows, 10mcg/day (library.daily-dose.hard-min): it stops"
                    + " delivery in all but name, with no alarm; use suspend to stop delivery; hard limits cannot be overridden",
                    bench.command(program("9.999mcg/day", "500mcg/mL"), true));
            assertEquals(Outcome.APPLIED, bench.command(flex("00:00=600mcg/day", "12:00=440mcg/day")).outcome(), "within 30 % at every hour");
            assertEquals("flex", bench.status().running().mode());
        }
    }

    @Test
    void aFreshPumpTakesNoProgramUntilARefillDeclaresTheSyringe() {
        try (Bench bench = Bench.utc()) {
            // The classic first-fill error: 2000 mcg/mL in the syringe, a program written for 500.
            assertRefused("no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                    + " a program never sets the concentration by itself", bench.command(program("400mcg/day", "500mcg/mL")));
            assertEquals("none", bench.status().running().mode());
            bench.refill("20mL", "2000mcg/mL");
            assertRefused("the reservoir holds 2000mcg/mL, not 500mcg/mL: a program must match what is in the syringe"
                    + " (refill with 500mcg/mL first)", bench.command(program("400mcg/day", "500mcg/mL")));
            bench.run(ofHours(1));
            assertEquals(0, bench.plant.plungerMicrosteps(), "nothing was pushed");
            assertEquals(Outcome.APPLIED, bench.command(program("400mcg/day", "2000mcg/mL")).outcome());
        }
    }

    @Test
    void theReservoirDecidesTheConcentration() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            assertRefused("the reservoir holds 500mcg/mL, not 2000mcg/mL: a program must match what is in the syringe"
                    + " (refill with 2000mcg/mL first)", bench.command(program("400mcg/day", "2000mcg/mL")));
        }
    }

    @Test
    void bolusesAgainstTheLibraryAndTheLast24Hours() {
        try (Bench bench = Bench.utc()) {
            assertRefused("no program is running; program the pump before a bolus", bench.command(bolus("50mcg", 10)));
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("800mcg/day", "500mcg/mL"));
            assertRefused("bolus 150mcg is above the limit of 100mcg (library.bolus.max); hard limits cannot be overridden",
                    bench.command(bolus("150mcg", 10)));
            assertRefused("a bolus over 30s is faster than the minimum of 1m (library.bolus.min-duration); hard limits cannot be overridden",
                    bench.command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), Duration.ofSeconds(30))));
            assertEquals(Outcome.APPLIED, bench.command(bolus("50mcg", 10), true).outcome());
            assertRefused("a bolus 50mcg over 10m is under way until 2026-01-05 00:10", bench.command(bolus("10mcg", 10)));
            bench.run(ofMinutes(20));
            assertRefused("a bolus started 20m ago; the lockout between a clinician's bolus and any other is 1h (library.bolus.lockout): wait 40m; hard limits cannot be overridden",
                    bench.command(bolus("10mcg", 10)));
            bench.run(Duration.ofSeconds(26 * 60 + 30));
            // 46.5 minutes after the bolus started: 46 whole minutes gone, 13.5 to wait, said as 14 (60 in all).
            assertRefused("a bolus started 46m ago; the lockout between a clinician's bolus and any other is 1h (library.bolus.lockout): wait 14m; hard limits cannot be overridden",
                    bench.command(bolus("10mcg", 10)));
            bench.run(Duration.ofSeconds(13 * 60 + 30));
            assertRefused("this bolus would bring 24 h to 900mcg (daily dose 800mcg/day, 50mcg of boluses in the last 24 h and this 50mcg);"
                    + " the soft limit is 800mcg/day (library.daily-dose.soft-max); this is a soft limit: repeat with"
                    + " --override-soft-limit to accept it", bench.command(bolus("50mcg", 10)));
        }
    }

    @Test
    void bolusesNeverTakeTheDayAboveTheHardMaximum() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
            assertEquals(Outcome.APPLIED, bench.command(program("1400mcg/day", "500mcg/mL"), true).outcome());
            assertEquals(Outcome.APPLIED, bench.command(bolus("100mcg", 10), true).outcome(), "1500 mcg: at the hard limit, not above");
            bench.run(ofHours(1));
            assertRefused("this bolus would bring 24 h to 1550mcg (daily dose 1400mcg/day, 100mcg of boluses in the last 24 h and this"
                    + " 50mcg); the hard limit is 1500mcg/day (library.daily-dose.hard-max); hard limits cannot be overridden",
                    bench.command(bolus("50mcg", 10), true));
            bench.run(ofHours(23));
            assertEquals(Outcome.REFUSED, bench.command(bolus("50mcg", 10), true).outcome(),
                    "24 h after it started, the first bolus's ten minutes are still within the last 24 h");
            bench.run(ofMinutes(15));
            assertEquals(Outcome.APPLIED, bench.command(bolus("50mcg", 10), true).outcome(), "the first bolus left the 24 h window");
        }
    }

    @Test
    void thePatientButtonKeepsToItsPolicy() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            TherapyCommand button = new TherapyCommand.PatientBolus();
            assertEquals(Outcome.APPLIED, bench.command(button).outcome());
            assertEquals("patient bolus 10mcg over 5m", bench.status().running().bolus().orElseThrow());
            bench.run(ofMinutes(30));
            assertRefused("a patient bolus started 30m ago; the lockout is 2h (patient-bolus.lockout): wait 1h 30m;"
                    + " hard limits cannot be overridden", bench.command(button, true));
            for (int i = 0; i < 3; i++) {
                bench.run(ofHours(2));
                assertEquals(Outcome.APPLIED, bench.command(button).outcome());
            }
            bench.run(ofHours(2));
            assertRefused("4 patient boluses in the last 24 h; the limit is 4 (patient-bolus.max-per-day); hard limits cannot be overridden",
                    bench.command(button));
        }
    }

    @Test
    void oneLockoutKeepsClinicianAndPatientBolusesApart() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.PatientBolus()).outcome());
            bench.run(ofMinutes(30));
            assertRefused("a patient bolus started 30m ago; the lockout between a clinician's bolus and any other is 1h"
                    + " (library.bolus.lockout): wait 30m; hard limits cannot be overridden", bench.command(bolus("20mcg", 10)));
            bench.run(ofMinutes(30));
            assertEquals(Outcome.APPLIED, bench.command(bolus("20mcg", 10)).outcome(), "an hour after the patient's");
            bench.run(ofMinutes(20));
            assertRefused("a bolus started 20m ago; the lockout between a clinician's bolus and any other is 1h"
                    + " (library.bolus.lockout): wait 40m; hard limits cannot be overridden", bench.command(new TherapyCommand.PatientBolus()));
            assertEquals(1, bench.events.stream().filter(e -> e.type().equals("bolus-started") && "patient".equals(e.details().get("kind"))).count());
        }
    }

    @Test
    void patientBolusesCanBeTurnedOff() {
        try (Bench bench = new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"),
                Bench.shippedConfig(Map.of("sensors.poll-interval", "250ms", "patient-bolus.dose", "0mcg")))) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            assertRefused("patient boluses are off (patient-bolus.dose, patient-bolus.max-per-day); hard limits cannot be overridden",
                    bench.command(new TherapyCommand.PatientBolus()));
        }
    }

    @Test
    void primingSuspendingAndResumingRefuseWhatMakesNoSense() {
        try (Bench bench = Bench.utc()) {
            assertRefused("no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                    + " priming pushes drug, which the pump must be able to count", bench.command(new TherapyCommand.Prime(Volume.parse("0.1mL"))));
            bench.refill("20mL", "500mcg/mL");
            assertRefused("priming 2mL is more than the limit of 1mL at once (delivery.priming-max); hard limits cannot be overridden",
                    bench.command(new TherapyCommand.Prime(Volume.parse("2mL"), true)));
            assertRefused("priming 0mL moves nothing", bench.command(new TherapyCommand.Prime(Volume.ZERO)));
            assertRefused("no program is running; there is nothing to suspend", bench.command(new TherapyCommand.Suspend(Optional.empty())));
            bench.command(program("400mcg/day", "500mcg/mL"));
            assertRefused("not suspended: delivery is already running as programmed", bench.command(new TherapyCommand.Resume()));
            assertRefused("a timed suspension of 8d is outside 1m to 1d (delivery.max-suspend); suspend without --for to stop until resumed",
                    bench.command(new TherapyCommand.Suspend(Optional.of(Duration.ofDays(8)))));
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            assertRefused("already suspended; resume first to change the suspension", bench.command(new TherapyCommand.Suspend(Optional.empty())));
            assertRefused("delivery is suspended; resume first", bench.command(bolus("10mcg", 10)));
            assertRefused("delivery is suspended; resume first", bench.command(new TherapyCommand.Prime(Volume.parse("0.1mL"))));
        }
    }

    private static final String PRIME_MORE = "; beyond it the drug goes into the patient. To prime more, suspend delivery, disconnect"
            + " the catheter from the patient and prime with --disconnected; hard limits cannot be overridden";

    @Test
    void primingWithTheCatheterConnectedPushesNoMoreThanTheDeadVolumeLeft() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "2000mcg/mL");
            bench.command(program("400mcg/day", "2000mcg/mL"));
            long before = bench.plant.plungerMicrosteps();
            // Three times 1 mL of 2000 mcg/mL into a connected catheter is 6 mg: 15 days of this program.
            for (int i = 0; i < 3; i++) {
                assertRefused("priming 1mL with the catheter connected is more than the 0.200mL of dead volume left to fill"
                        + " (catheter.volume 0.2mL)" + PRIME_MORE, bench.command(new TherapyCommand.Prime(Volume.parse("1mL"))));
            }
            assertEquals(Outcome.REFUSED, bench.command(new TherapyCommand.PrimeMicrosteps(13_917)).outcome(), "1 mL in microsteps");
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL"))).outcome(), "what is left of it");
            bench.run(ofMinutes(20));
            // By hand: 0.2 mL / 71.853 nL = 2783.5 microsteps, and 20 minutes of 400 mcg/day at 2000 mcg/mL
            // (0.2 mL a day) = 38.7 microsteps.
            assertEquals(2_783 + 39, bench.plant.plungerMicrosteps() - before, 2);
            // What reached the patient is the basal alone: 400 mcg/day for 20 min = 5.6 mcg (a microstep carries 0.14 mcg).
            assertEquals(5_556, bench.status().counts().patientDrug().nanograms(), 300);
            var primed = bench.events.stream().filter(e -> e.type().equals("bolus-completed") && "priming".equals(e.details().get("kind")))
                    .findFirst().orElseThrow();
            assertEquals("0nL", primed.details().get("beyondDeadVolume"), "the journal says none of it went beyond the dead volume");
            assertRefused("priming 0.01mL with the catheter connected: the catheter is full already (catheter.volume 0.2mL), so all of"
                    + " it would go into the patient. To prime more, suspend delivery, disconnect the catheter from the patient and"
                    + " prime with --disconnected; hard limits cannot be overridden", bench.command(new TherapyCommand.Prime(Volume.parse("0.01mL"))));
        }
    }

    @Test
    void aLargerPrimingNeedsTheCatheterDisconnectedAndDeliveryStoppedAndIsBoundedPerDay() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            assertRefused("a program is delivering: the catheter cannot be disconnected from the patient while it does; suspend first"
                    + " (and connect it again before resuming)", bench.command(new TherapyCommand.Prime(Volume.parse("1mL"), true)));
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            long before = bench.plant.plungerMicrosteps();
            var primed = bench.command(new TherapyCommand.Prime(Volume.parse("1mL"), true));
            assertEquals(Outcome.APPLIED, primed.outcome(), primed.message());
            assertTrue(primed.after().contains("the catheter is DISCONNECTED from the patient: what is pushed reaches no one"), primed.after().toString());
            bench.run(ofMinutes(2));
            assertEquals(13_917, bench.plant.plungerMicrosteps() - before, 1, "1 mL / 71.853 nL");
            assertEquals(0, bench.status().counts().patientDrug().nanograms(), "none of it reached the patient");
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("1mL"), true)).outcome());
            bench.run(ofMinutes(2));
            assertRefused("priming 0.1mL would bring primings in the last 24 h to 2.1mL; the limit is 2mL (delivery.priming-max-per-day);"
                    + " hard limits cannot be overridden", bench.command(new TherapyCommand.Prime(Volume.parse("0.1mL"), true)));
            bench.run(ofHours(23).plusMinutes(57));
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("0.1mL"), true)).outcome(), "a day on");
            bench.run(ofMinutes(1));
            var resumed = bench.command(new TherapyCommand.Resume());
            assertEquals("resumed: delivering 400mcg/day again; the catheter was primed during the suspension: check that it is connected"
                    + " to the patient again", resumed.message());
        }
    }

    @Test
    void aPrimingsLateStepsAreStillThatPrimingsAndNeverDrugToThePatient() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "2000mcg/mL");
            bench.command(program("400mcg/day", "2000mcg/mL"));
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            long before = bench.plant.plungerMicrosteps();
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("1mL"), true)).outcome());
            // 1 mL at 1 mL/min: the loop stalls for 0.9 s (within the 1 s watchdog) across the minute's end,
            // so the priming's time is up with some 190 of its microsteps still to go out.
            bench.run(Duration.ofMillis(59_300));
            bench.freezeDoseLoop(true);
            bench.run(Duration.ofMillis(900));
            bench.freezeDoseLoop(false);
            bench.run(ofMinutes(1));
            assertEquals(13_917, bench.plant.plungerMicrosteps() - before, 1, "1 mL / 71.853 nL, the late steps too");
            assertEquals(0, bench.status().counts().patientDrug().nanograms(), "the catheter is disconnected: none of it reached the patient");
        }
    }

    @Test
    void theStandardPrimingOfTheDeadVolumeLeavesTheCatheterPrimed() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            // 0.2 mL / 71.853 nL = 2783.4 microsteps: whole microsteps leave 33 nL short, less than one of them.
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL"))).outcome());
            bench.run(ofMinutes(1));
            assertEquals(Volume.ZERO, bench.status().supply().deadVolumeLeft());
            CommandResult preview = bench.preview(program("400mcg/day", "500mcg/mL"));
            assertFalse(preview.after().stream().anyMatch(line -> line.contains("not primed")), preview.after().toString());
        }
    }

    @Test
    void aBolusIsHeldToWhatActuallyReachedThePatientInTheLast24Hours() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "2000mcg/mL");
            bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
            bench.command(program("1500mcg/day", "2000mcg/mL"), true);
            bench.run(ofHours(23));
            assertEquals(Outcome.APPLIED, bench.command(program("1000mcg/day", "2000mcg/mL"), true).outcome());
            // Ahead, 1000 + 100 is within the hard limit; behind, 23 h at 1500 mcg/day (1437.5 mcg) already reached the patient.
            CommandResult refused = bench.command(bolus("100mcg", 10), true);
            assertEquals(Outcome.REFUSED, refused.outcome());
            assertTrue(refused.message().startsWith("this bolus would bring 24 h to 1537."), refused.message());
            assertTrue(refused.message().contains("reached the patient in the last 24 h, counted in 5-minute steps, and this 100mcg); the hard limit"
                    + " is 1500mcg/day (library.daily-dose.hard-max)"), refused.message());
        }
    }

    @Test
    void aBolusSmallerThanAMicrostepIsRefusedRatherThanStartingTheLockoutForNothing() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            // By hand: a microstep of 71.853 nL at 500 mcg/mL carries 35.9 ng; 0.035 mcg is less than one.
            assertRefused("a bolus of 0.035mcg is less than one microstep at 500mcg/mL (71.853nL); the pump cannot give it",
                    bench.command(bolus("0.035mcg", 10)));
            assertEquals(Outcome.APPLIED, bench.command(bolus("0.036mcg", 10)).outcome(), "one microstep");
        }
    }

    @Test
    void nothingExtraWhileHalted() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.plant.stall(true);
            bench.run(ofMinutes(1));
            assertRefused("delivery is halted (motor stall); clear the cause first", bench.command(bolus("10mcg", 10)));
        }
    }

    @Test
    void whatTheMotorCannotDoIsRefused() {
        try (Bench bench = new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"),
                Bench.shippedConfig(Map.of("sensors.poll-interval", "250ms", "stepper.max-step-rate", "100Hz",
                        "delivery.priming-rate", "0.1mL/min")))) {
            bench.refill("20mL", "50mcg/mL");
            bench.command(program("400mcg/day", "50mcg/mL"));
            assertRefused("this bolus needs 466 microsteps/s; the pump plans at most 50/s, half of stepper.max-step-rate, keeping the"
                    + " rest to catch up; hard limits cannot be overridden", bench.command(bolus("100mcg", 1)));
        }
    }

    @Test
    void aConfirmationOfAStalePreviewAppliesNothing() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            CommandResult preview = bench.preview(program("450mcg/day", "500mcg/mL"));
            assertEquals(Outcome.PREVIEW, preview.outcome());
            assertEquals(List.of("mode continuous", "rate 400mcg/day", "concentration 500mcg/mL", "daily dose 400mcg/day"), preview.before());
            assertEquals(List.of("mode continuous", "rate 450mcg/day", "concentration 500mcg/mL", "daily dose 450mcg/day",
                    "the catheter is not primed: 0.200mL of dead volume to fill before drug reaches the patient; prime it first"), preview.after());
            // Someone else changes the therapy between the preview and its confirmation.
            bench.command(new TherapyCommand.StartBolus(Dose.parse("10mcg"), ofMinutes(5)));
            CommandResult late = bench.submit(CommandRequest.commit(program("450mcg/day", "500mcg/mL"), "tester",
                    OptionalLong.of(preview.revision()), false));
            assertEquals(Outcome.REFUSED, late.outcome());
            assertTrue(late.message().startsWith("therapy changed since the preview"), late.message());
            assertEquals(DailyRate.parse("400mcg/day"), bench.status().running().basal());
        }
    }

    @Test
    void aFlexProgramIsCheckedOnItsBusiestDayAndStep() {
        try (Bench bench = Bench.utc()) {
            var flex = new FlexProgram(new FlexSchedule(List.of(FlexStep.parse("00:00=400mcg/day"), FlexStep.parse("sat@06:00=2000mcg/day"),
                    FlexStep.parse("sat@07:00=400mcg/day"))), Concentration.parse("500mcg/mL"), Optional.empty());
            bench.refill("20mL", "500mcg/mL");
            assertRefused("basal rate 2000mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max);"
                    + " hard limits cannot be overridden", bench.command(new TherapyCommand.SetProgram(flex), true));
        }
    }

    @Test
    void aCommandTheLoopTakesUpAfterItsSenderStoppedWaitingIsRefusedNotApplied() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.freezeDoseLoop(true);
            var answer = bench.submitWaiting(CommandRequest.commit(bolus("20mcg", 10), "tester", OptionalLong.empty(), false),
                    Duration.ofSeconds(10));
            bench.run(Duration.ofSeconds(9));
            assertTrue(!answer.isDone(), "the loop is hung: no answer yet");
            bench.run(Duration.ofSeconds(2));
            bench.freezeDoseLoop(false);
            bench.run(Duration.ZERO);
            assertRefused("not applied: the dose loop took this command up only after its sender had stopped waiting;"
                    + " check the status and send it again", answer.join());
            assertTrue(bench.status().running().bolus().isEmpty(), "no bolus started behind the sender's back");
            assertTrue(bench.eventTypes().stream().noneMatch("bolus-started"::equals), bench.eventTypes().toString());
        }
    }

    @Test
    void aCommandTheLoopTakesUpWithinTheWaitIsApplied() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("400mcg/day", "500mcg/mL"));
            bench.freezeDoseLoop(true);
            var answer = bench.submitWaiting(CommandRequest.commit(bolus("20mcg", 10), "tester", OptionalLong.empty(), false),
                    Duration.ofSeconds(10));
            bench.run(Duration.ofSeconds(5));
            bench.freezeDoseLoop(false);
            bench.run(Duration.ZERO);
            assertEquals(Outcome.APPLIED, answer.join().outcome());
        }
    }
}
