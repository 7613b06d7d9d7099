package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.alarm.AlarmType;
import org.openitb.config.PumpConfig;
import org.openitb.store.PumpStore;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * Power cuts and a slow or failing state disk, on simulated time: the card stalls while the pump
 * primes, steps go out ahead of the write-ahead mark, the power goes. What went out is read off the
 * plunger (the bench's world), not the pump's books: after the cut every step that went out is
 * counted as delivered, and the restart alarm tells how much is uncertain.
 */
class PowerCutScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    @TempDir
    Path stateDir;

    private final PumpConfig config = Bench.shippedConfig();
    private final long bound = config.delivery().crashUncertaintyMicrosteps(config.mechanics());
    private final SimulatedStorage disk = new SimulatedStorage(7, bound, SimulatedStorage.Profile.FAST);
    private Bench bench;
    /** The pump's count and the plunger's position when the count was known to be right. */
    private long countAtStart;
    private long plungerAtStart;

    @AfterEach
    void close() {
        if (bench != null) {
            bench.close();
        }
    }

    private void aPumpDelivering(String rate) {
        bench = Bench.asDaemon(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), config, stateDir, disk);
        bench.refill("20mL", C500);
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), C500))).outcome());
        bench.run(ofMinutes(10));
        countAtStart = bench.delivered();
        plungerAtStart = bench.plant.plungerMicrosteps();
    }

    /** A nurse primes a new catheter off the patient: suspended, disconnected, 1 mL/min. */
    private void primeOffThePatient(String volume) {
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Suspend(Optional.empty())).outcome());
        bench.plant.connectCatheter(false);
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse(volume), true)).outcome());
    }

    /** Microsteps that went out since the start, read off the plunger, as the pump counts them. */
    private long wentOut() {
        return countAtStart + bench.plant.plungerMicrosteps() - plungerAtStart;
    }

    /**
     * The power goes and comes back a minute later; returns the microsteps the restart books beyond the
     * last snapshot, which must be many (else a test of how they are booked proves nothing).
     */
    private long cutAndBootBookingBeyondTheSnapshot() {
        bench.powerCut();
        bench = bench.bootAfter(ofMinutes(1));
        PumpStore.Recovered r = bench.store().recovered().orElseThrow();
        long booked = r.startMicrosteps() - r.state().orElseThrow().deliveredMicrosteps();
        assertTrue(booked > 100, "the restart books steps beyond the snapshot: " + booked);
        return booked;
    }

    private void stallTheCard(Duration d) {
        disk.stall(bench.clock.nanos(), d.toNanos());
    }

    @Test
    void aPowerCutDuringAPrimingNeverBooksItsStepsAsDrugToThePatient() {
        // A new pump programmed at 400 mcg/day, its catheter still empty (0.2 mL of dead volume), primed connected
        // with 0.15 mL: every step of the priming fills the catheter, none can reach the patient. The cut comes
        // halfway with the card slow, so the write-ahead mark is well ahead of the last snapshot and the restart
        // books the steps between. Only the basal can have reached the patient: at 400 mcg/day of 500 mcg/mL a
        // microstep (71.853 nL, 35.93 ng) is due every 9.3 min, so none in the minutes here; a microstep's worth of slack.
        bench = Bench.asDaemon(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), config, stateDir, disk);
        bench.refill("20mL", C500);
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)))
                .outcome());
        assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Prime(Volume.parse("0.15mL"), false)).outcome());
        bench.run(ofSeconds(3));
        stallTheCard(ofSeconds(2));
        bench.run(ofSeconds(2));
        long patientBefore = bench.status().counts().patientDrug().nanograms();
        assertTrue(patientBefore <= 36, "before the cut: the basal's microstep at most, " + patientBefore + " ng");
        long beforeCut = bench.delivered();
        assertTrue(beforeCut > 0 && beforeCut * 71_853 < 150_000_000L, "halfway through the priming: " + beforeCut);
        long booked = cutAndBootBookingBeyondTheSnapshot();
        assertTrue(bench.delivered() >= beforeCut, "every step that went out is counted out of the syringe");
        assertTrue(bench.status().counts().patientDrug().nanograms() <= 36, "a priming that fits in the catheter reaches no one, crash or not: "
                + bench.status().counts().patientDrug().nanograms() + " ng after booking " + booked + " microsteps");
    }

    @Test
    void aPowerCutDuringADisconnectedPrimingLeavesThePatientsTotalAsItWas() {
        aPumpDelivering("400mcg/day");
        primeOffThePatient("0.5mL");
        bench.run(ofSeconds(3));
        stallTheCard(ofSeconds(2));
        bench.run(ofSeconds(2));
        long patientBefore = bench.status().counts().patientDrug().nanograms();
        cutAndBootBookingBeyondTheSnapshot();
        assertEquals(patientBefore, bench.status().counts().patientDrug().nanograms(), "off the patient and suspended: nothing reached the patient");
    }

    @Test
    void aPowerCutWhileTheCardStallsCountsEveryStepThatWentOut() {
        aPumpDelivering("400mcg/day");
        primeOffThePatient("0.5mL");
        bench.run(ofSeconds(2));
        stallTheCard(ofSeconds(2));
        bench.run(ofSeconds(5));
        long recordedRun = disk.peak();
        assertTrue(recordedRun > bound, "a 2 s stall at 1 mL/min leaves more than the bound (" + bound + ") uncovered: " + recordedRun);
        bench.openAlarm(AlarmType.STORAGE_TOO_SLOW);

        stallTheCard(ofSeconds(2));
        bench.run(ofMillis(1500));
        long uncovered = disk.uncovered();
        assertTrue(uncovered > 0 && uncovered <= recordedRun, "the cut comes in a run the record knows could happen: " + uncovered);
        long out = wentOut();
        SimulatedStorage.Cut cut = bench.powerCut();
        bench = bench.bootAfter(ofMinutes(10));

        long counted = bench.delivered();
        assertTrue(counted >= out, "the plunger moved " + out + " microsteps; after the cut the pump counts " + counted
                + " (mark on disk " + cut.durableMark() + ")");
        assertTrue(counted <= out + bound + recordedRun, "no more than the bound and the recorded run over: " + counted + " for " + out);
        PumpStore.Recovered recovered = bench.store().recovered().orElseThrow();
        assertTrue(recovered.confirmedMicrosteps() <= out, "the withdrawal estimate is credited only with steps that went out: "
                + recovered.confirmedMicrosteps() + " of " + out);
        assertEquals(counted - recovered.confirmedMicrosteps(), recovered.uncertainMicrosteps());
        bench.run(ofSeconds(1));
        String told = bench.openAlarm(AlarmType.CONTROLLER_RESTARTED).message();
        assertTrue(told.contains("(" + recovered.uncertainMicrosteps() + " microsteps) may or may not have gone out"), told);
    }

    @Test
    void aFailingCardNeverStopsDeliveryAndIsTold() {
        aPumpDelivering("400mcg/day");
        disk.failing(true);
        bench.run(ofHours(2));
        var s = bench.status();
        assertTrue(Math.abs(s.counts().deliveredMicrosteps() - s.counts().idealMicrosteps()) <= 1, "on plan while the card fails: delivered "
                + s.counts().deliveredMicrosteps() + ", ideal " + s.counts().idealMicrosteps());
        bench.openAlarm(AlarmType.STORAGE_FAILURE);

        primeOffThePatient("0.1mL"); // 0.1 mL / 71.853 nL = 1 391.7 microsteps with no mark landing: far beyond the bound
        bench.run(ofSeconds(30));
        assertEquals(1_392, bench.plant.plungerMicrosteps() - plungerAtStart - (s.counts().deliveredMicrosteps() - countAtStart), 1,
                "the whole priming went out: 0.1 mL at " + config.mechanics().volumePerMicrostep() + " a microstep");
        bench.openAlarm(AlarmType.STORAGE_TOO_SLOW);

        disk.failing(false);
        bench.run(ofMinutes(1));
        assertTrue(bench.alarm(AlarmType.STORAGE_FAILURE).map(a -> !a.conditionPresent()).orElse(true), "the failure is over once writes land");
        long out = wentOut();
        bench.powerCut();
        bench = bench.bootAfter(ofMinutes(10));
        assertTrue(bench.delivered() >= out, "written again before the cut: every step counted, " + bench.delivered() + " for " + out);
    }

    @Test
    void anOrderlyStopAfterTheCardFailedStillCountsEveryStep() {
        aPumpDelivering("400mcg/day");
        disk.failing(true);
        primeOffThePatient("0.1mL");
        bench.run(ofSeconds(5)); // stopped mid-priming, most of its steps since the last snapshot of the state (every 10 s)
        long out = wentOut();
        // Stopped in order: the last writes are tried whatever failed before (this disk takes them).
        bench = bench.restartAfter(ofMinutes(10));
        assertTrue(bench.delivered() >= out, "every step counted after an orderly stop: " + bench.delivered() + " for " + out);
    }
}
