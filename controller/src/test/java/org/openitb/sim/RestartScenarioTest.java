package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.alarm.AlarmEvent.Transition;
import org.openitb.alarm.AlarmState;
import org.openitb.alarm.AlarmType;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.journal.JournalEntry;
import org.openitb.journal.TherapyEvent;
import org.openitb.store.PumpStore;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * The pump restarted on its real database: it remembers its program, reservoir, counters and
 * limits, resumes at the programmed rate, never makes up the gap, and journals the restart.
 */
class RestartScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");
    private static final Concentration C2000 = Concentration.parse("2000mcg/mL");

    @TempDir
    Path stateDir;

    private static TherapyCommand continuous(String rate) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), C500));
    }

    private static long microsteps(Bench bench, String rate, Duration over) {
        return DeliveryPlan.start(0, 0, DailyRate.parse(rate), C500, bench.config.mechanics().volumePerMicrostep()).target(over.toNanos());
    }

    private static TherapyEvent restartEvent(Bench bench) {
        return bench.events.stream().filter(e -> e.type().equals("controller-restarted")).findFirst().orElseThrow();
    }

    @Test
    void theProgramResumesAtItsRateAndTheGapIsJournaledNotMadeUp() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
        bench.command(continuous("400mcg/day"));
        bench.run(ofHours(6));
        long before = bench.delivered();
        long mark = writeAheadMark(bench);
        // At 400 mcg/day a batch time (60 s) holds about 8 microsteps: that, not 64, bounds the mark here.
        long batchTime = microsteps(bench, "400mcg/day", Duration.ofSeconds(60)) + 1;
        assertTrue(mark >= before && mark - before <= batchTime, "the mark on disk covers every step, by at most one batch ("
                + batchTime + "): " + before + ", " + mark);
        Volume reservoirBefore = bench.status().supply().remaining();
        bench = bench.restartAfter(ofHours(2));
        try {
            long after = bench.delivered();
            assertEquals(mark, after, "counting goes on from the mark: the whole window counts as delivered");
            assertTrue(bench.status().supply().remaining().compareTo(reservoirBefore) <= 0, "the reservoir never grows back");
            assertEquals(Optional.of(C500), bench.status().supply().concentration());
            assertEquals(DailyRate.parse("400mcg/day"), bench.status().running().basal());
            TherapyEvent restart = restartEvent(bench);
            assertEquals(7_200L, restart.details().get("gapSeconds"));
            assertEquals("33.333mcg", restart.details().get("missedDose"), "two hours of 400mcg/day");
            bench.run(ofHours(1));
            assertEquals(microsteps(bench, "400mcg/day", ofHours(1)), bench.delivered() - after, 1,
                    "one hour at the programmed rate: none of the two missed hours is made up");
            List<String> journal = bench.store().history(100).stream().map(JournalEntry::type).toList();
            // Two hours without delivery: the restart alarm latches and the risk estimate rose once (2^-0.5 = 71% of prescribed).
            assertEquals(List.of("refilled", "priming-started", "bolus-completed", "program-changed", "controller-restarted", "alarm-raised",
                    "withdrawal-risk-rose"), journal);
        } finally {
            bench.close();
        }
    }

    @Test
    void lockoutsAndTheTitrationReferenceSurviveARestart() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.command(continuous("400mcg/day"));
        bench.run(ofHours(1));
        assertEquals(Outcome.APPLIED, bench.command(continuous("520mcg/day")).outcome());
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.PatientBolus()).outcome());
        bench.run(ofMinutes(30));
        bench = bench.restartAfter(ofMinutes(10));
        try {
            CommandResult button = bench.command(new TherapyCommand.PatientBolus());
            assertEquals(Outcome.REFUSED, button.outcome());
            assertEquals("a patient bolus started 40m ago; the lockout is 2h (patient-bolus.lockout): wait 1h 20m;"
                    + " hard limits cannot be overridden", button.message());
            CommandResult titration = bench.command(continuous("560mcg/day"));
            assertEquals(Outcome.REFUSED, titration.outcome(), "still measured from 400mcg/day, the lowest in force in the last 24 h");
            assertTrue(titration.message().startsWith("daily dose 560mcg/day is 40% above 400mcg/day, the lowest daily dose in force in the last 24 h"),
                    titration.message());
        } finally {
            bench.close();
        }
    }

    @Test
    void aLargerCatheterVolumeConfiguredAfterPrimingDoesNotReopenAFullCatheterToConnectedPriming() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL"))).outcome());
        bench.run(ofMinutes(1));
        bench.command(continuous("400mcg/day"));
        bench.run(ofHours(1));
        bench = bench.restartAfter(ofMinutes(5), Bench.shippedConfig(Map.of("catheter.volume", "5mL")));
        try {
            // The catheter in the patient was full; 1 mL more into it is 500 mcg into the patient, not a filling.
            assertEquals(Volume.ZERO, bench.status().supply().deadVolumeLeft());
            CommandResult prime = bench.command(new TherapyCommand.Prime(Volume.parse("1mL")));
            assertEquals(Outcome.REFUSED, prime.outcome(), prime.message());
            assertTrue(prime.message().startsWith("priming 1mL with the catheter connected: the catheter is full already (catheter.volume 5mL)"),
                    prime.message());
        } finally {
            bench.close();
        }
    }

    @Test
    void aTimedSuspensionEndsWhenItWasToEndEvenAcrossARestart() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.command(continuous("600mcg/day"));
        bench.run(ofHours(1));
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Suspend(Optional.of(ofMinutes(90)))).outcome());
        bench.run(ofMinutes(30));
        bench = bench.restartAfter(ofMinutes(20));
        try {
            assertTrue(bench.status().running().suspended());
            assertEquals("0mcg", restartEvent(bench).details().get("missedDose"), "nothing was due while suspended");
            long atRestart = bench.delivered();
            bench.run(ofMinutes(39));
            assertEquals(atRestart, bench.delivered(), "still suspended: 30 + 20 + 39 minutes is under 90");
            bench.run(ofMinutes(2));
            assertFalse(bench.status().running().suspended());
            bench.run(ofHours(1));
            assertTrue(bench.delivered() > atRestart);
        } finally {
            bench.close();
        }
    }

    @Test
    void aTimedSuspensionThatEndedWhileThePumpWasOffLeavesTheRestOfTheGapMissed() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
        bench.command(continuous("480mcg/day"));
        bench.run(ofHours(1));
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Suspend(Optional.of(ofMinutes(30)))).outcome());
        bench.run(ofMinutes(10));
        bench = bench.restartAfter(ofHours(4));
        try {
            // Down 4 h, 20 min of it still suspended: 220 minutes at 480 mcg/day (20 mcg/h) were due and missed.
            assertEquals("73.333mcg", restartEvent(bench).details().get("missedDose"));
            assertFalse(bench.status().running().suspended(), "the suspension ended while the pump was off");
            bench.run(Duration.ofSeconds(1));
            // The pump has not been suspended for 4 h: what the gap did is the restart alarm's to say.
            assertTrue(bench.alarm(AlarmType.SUSPENDED_TOO_LONG).isEmpty(),
                    bench.alarm(AlarmType.SUSPENDED_TOO_LONG).toString());
            assertTrue(bench.openAlarm(AlarmType.CONTROLLER_RESTARTED).message().contains("73.333mcg of basal was missed"),
                    bench.openAlarm(AlarmType.CONTROLLER_RESTARTED).message());
        } finally {
            bench.close();
        }
    }

    @Test
    void periodicBolusesKeepTheirScheduleAcrossRestarts() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        Instant start = bench.clock.instant();
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("300mcg/day"), C500,
                Optional.of(new PeriodicBolus(Dose.parse("20mcg"), ofHours(6), ofMinutes(15))))));
        // Off for 5 minutes every 3 h 55 m, more often than the interval: each boot must still find the boluses due at 6 h and 12 h.
        for (int i = 0; i < 3; i++) {
            bench.run(ofHours(4).minusMinutes(10));
            bench = bench.restartAfter(ofMinutes(5));
        }
        try {
            bench.run(ofHours(1));
            List<Instant> started = bench.store().history(1_000).stream().filter(e -> e.type().equals("bolus-started"))
                    .map(JournalEntry::at).toList();
            assertEquals(List.of(start.plus(ofHours(6)), start.plus(ofHours(12))), started);
        } finally {
            bench.close();
        }
    }

    @Test
    void aPumpThatLostItsMemorySaysSoLoudlyAndTakesNoProgramUnverified() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        // As the daemon does when it set a damaged database aside and started a new one.
        bench.pump.controller().storageAlert("the database could not be used at start (file is not a database); it was moved aside");
        bench.run(Duration.ofSeconds(1));
        var lost = bench.openAlarm(AlarmType.THERAPY_STATE_LOST);
        assertEquals(Priority.HIGH, lost.priority());
        assertTrue(lost.withdrawalRisk(), "a patient on ITB whose pump forgot the therapy gets nothing from it");
        TherapyCommand program = new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("800mcg/day"), C2000));
        assertEquals("no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                + " a program never sets the concentration by itself", bench.command(program).message());
        bench.refill("20mL", C2000);
        assertTrue(bench.command(program).message().endsWith("nothing to measure this program against for the titration limit; give the"
                + " daily dose the patient was on (--reference-dose RATE), or take this program as verified with --override-soft-limit"),
                bench.command(program).message());
        // The memory of the loss outlives another restart before anyone programs the pump.
        bench = bench.restartAfter(ofMinutes(5));
        try {
            bench.run(Duration.ofSeconds(1));
            assertTrue(bench.status().health().memoryLostAt().isPresent());
            // A reference no patient on this library can have been on would let any program pass the titration limit.
            assertEquals("--reference-dose 5000mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max): no patient on"
                    + " this library was on it", bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("1500mcg/day"),
                            C2000), Optional.of(DailyRate.parse("5000mcg/day")))).message());
            var patientWasOn = Optional.of(DailyRate.parse("400mcg/day"));
            CommandResult doubled = bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("800mcg/day"), C2000),
                    patientWasOn));
            assertEquals("daily dose 800mcg/day is 100% above 400mcg/day, the lowest daily dose the patient was on, as entered; the limit"
                    + " is 30% per 24 h for spinal origin (library.titration.spinal); this is a soft limit: repeat with --override-soft-limit"
                    + " to accept it", doubled.message());
            CommandResult verified = bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("440mcg/day"), C2000),
                    patientWasOn));
            assertEquals(Outcome.APPLIED, verified.outcome(), verified.message());
            bench.run(Duration.ofSeconds(6)); // past the supervisor's settling time after a restart
            assertTrue(bench.status().health().memoryLostAt().isEmpty(), "verified: the therapy is known again");
            var after = bench.openAlarm(AlarmType.THERAPY_STATE_LOST);
            assertFalse(after.conditionPresent());
            assertEquals(AlarmState.RAISED, after.state(), "high: latched until someone acknowledges it");
            assertEquals("--reference-dose is only for a pump that lost its memory of the therapy; this one measures a change against"
                    + " the programs of the last 24 h", bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(
                            DailyRate.parse("440mcg/day"), C2000), patientWasOn)).message());
        } finally {
            bench.close();
        }
    }

    @Test
    void aPowerCutThatLeavesTheClockStaleGivesTheGapAsALowerBoundThenCorrectsItOnceTheClockIsSet() throws Exception {
        Bench bench = Bench.remembering(stateDir); // starts 2026-01-05 00:00 UTC
        bench.refill("20mL", C500);
        bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
        bench.command(continuous("480mcg/day")); // 20 mcg an hour
        bench.run(Duration.between(bench.clock.instant(), Instant.parse("2026-01-05T12:00:00Z"))); // until 12:00
        // The power fails at 12:00. At 14:59:20 the Pi boots with the clock it saved at 11:00, and the pump starts 40 s later.
        bench = bench.restartAfterPowerCut(Instant.parse("2026-01-05T11:00:00Z"), Duration.ofSeconds(40));
        try {
            bench.run(Duration.ofSeconds(1));
            var restarted = bench.openAlarm(AlarmType.CONTROLLER_RESTARTED);
            assertEquals(false, restarted.details().get("gapKnown"));
            assertEquals(40L, ((Number) restarted.details().get("gapSeconds")).longValue(), "at least the time since boot");
            assertTrue(restarted.message().contains("a gap the wall clock cannot tell") && restarted.message().contains("at least 40 s"),
                    restarted.message());
            // NTP answers: it is really 15:00:01.
            bench.clock.setWallTime(Instant.parse("2026-01-05T15:00:01Z"));
            bench.clock.setSynchronised(true);
            bench.run(Duration.ofSeconds(2));
            TherapyEvent corrected = bench.events.stream().filter(e -> e.type().equals("restart-gap-corrected")).findFirst().orElseThrow();
            // By hand: down from the last heartbeat (at most 10 s before 12:00) to 15:00, 3 h at 20 mcg/h is 60 mcg.
            long gap = ((Number) corrected.details().get("gapSeconds")).longValue();
            assertTrue(gap >= 3 * 3600 && gap <= 3 * 3600 + 10, "three hours: " + gap);
            assertEquals(60.0, Dose.parse((String) corrected.details().get("missedDose")).nanograms() / 1000.0, 0.1);
            var told = bench.openAlarm(AlarmType.CONTROLLER_RESTARTED);
            assertEquals(restarted.id(), told.id(), "the same alarm, told again");
            assertEquals(true, told.details().get("gapKnown"));
            assertTrue(bench.transitions(AlarmType.CONTROLLER_RESTARTED).contains(Transition.UPDATED));
            // Three hours without delivery at a 2 h half-life: 2^(-1.5) = 35 % of prescribed, critical.
            assertEquals(35, bench.risk().orElseThrow().percent(), 2);
        } finally {
            bench.close();
        }
    }

    @Test
    void aBolusCutOffByARestartIsNotResumedButStillCountsForTheLimits() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.command(continuous("400mcg/day"));
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), ofMinutes(10))).outcome());
        bench.run(ofMinutes(4));
        bench = bench.restartAfter(ofMinutes(1));
        try {
            assertEquals(Optional.empty(), bench.status().running().bolus(), "not resumed: a bolus is not re-given without a clinician");
            assertEquals("bolus 50mcg over 10m", restartEvent(bench).details().get("bolusNotResumed"));
            bench.run(Duration.ofSeconds(6)); // past the supervisor's settling time after a restart
            String said = bench.openAlarm(AlarmType.CONTROLLER_RESTARTED).message();
            assertTrue(said.contains("; the bolus 50mcg over 10m running then was cut off and is not resumed"), said);
            CommandResult again = bench.command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), ofMinutes(10)));
            assertEquals(Outcome.REFUSED, again.outcome());
            // 4 minutes running, 1 minute down, 6 s settling: 5 min 6 s since it started, 5 whole minutes gone.
            assertTrue(again.message().startsWith("a bolus started 5m ago; the lockout between a clinician's bolus and any other is 1h"), again.message());
        } finally {
            bench.close();
        }
    }

    @Test
    void aPumpThatWasNeverProgrammedStaysStillAfterARestart() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.run(ofMinutes(5));
        bench = bench.restartAfter(ofMinutes(5));
        try {
            bench.run(ofHours(1));
            assertEquals(0, bench.delivered());
            assertEquals("none", restartEvent(bench).details().get("program"));
            assertEquals("0mcg", restartEvent(bench).details().get("missedDose"));
        } finally {
            bench.close();
        }
    }

    @Test
    void aRefillIsRememberedWithItsConcentration() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", C500);
        bench.command(continuous("400mcg/day"));
        bench.run(ofHours(12));
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Refill(Volume.parse("18mL"), C500, Optional.empty())).outcome());
        bench = bench.restartAfter(ofMinutes(1));
        try {
            Volume left = bench.status().supply().remaining();
            assertTrue(left.compareTo(Volume.parse("18mL")) <= 0 && left.compareTo(Volume.parse("17.99mL")) > 0, left.toString());
            assertEquals(0, bench.plant.plungerMicrosteps() - (bench.plant.travelMicrosteps() - volumeMicrosteps(bench, left)),
                    "the bench's syringe is set to what the pump remembers");
        } finally {
            bench.close();
        }
    }

    /** The write-ahead mark in the bench's database, read as the next start reads it, once the store has written. */
    private long writeAheadMark(Bench bench) {
        assertTrue(bench.store().flush(Duration.ofSeconds(10)));
        return PumpStore.lastMark(stateDir).orElseThrow().microsteps();
    }

    private static long volumeMicrosteps(Bench bench, Volume v) {
        return v.picolitres() / bench.config.mechanics().volumePerMicrostep().picolitres();
    }
}
