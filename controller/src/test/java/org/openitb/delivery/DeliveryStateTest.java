package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/** Delivery's state as a value: what the steps going out are for, and why nothing extra may start. */
class DeliveryStateTest {

    private static final long S = 1_000_000_000L;
    private static final LongFunction<String> AT = nanos -> "t+" + nanos / S + "s";
    private static final Optional<String> RUNNING = Optional.empty();
    private static final Optional<String> OCCLUDED = Optional.of("occlusion");
    private static final PumpConfig SHIPPED = ProjectFiles.exampleConfigLoaded();
    private static final DeliveryState IDLE = DeliveryState.start(Therapy.none(new TherapyLimits(SHIPPED.library(), SHIPPED.patientBolus())),
            DeliveryPlan.start(0, 0, DailyRate.ZERO, Concentration.parse("500mcg/mL"), Volume.parse("0.1uL")));
    private static final RunningBolus BOLUS = new RunningBolus(BolusKind.CLINICIAN, "bolus 50mcg over 10m", 0, 600 * S, 1_000, 0, false,
            Volume.ZERO);

    private static RunningBolus priming(boolean disconnected) {
        return new RunningBolus(BolusKind.PRIMING, "priming 0.2mL", 0, 12 * S, 2_000, 0, disconnected, Volume.parse("0.2mL"));
    }

    @Test
    void stepsAreForThePatientUnlessAPrimingRuns() {
        assertEquals(DeliveryLedger.Purpose.DELIVERY, IDLE.purpose());
        assertEquals(DeliveryLedger.Purpose.DELIVERY, IDLE.withBolus(Optional.of(BOLUS)).purpose());
        assertEquals(DeliveryLedger.Purpose.PRIMING, IDLE.withBolus(Optional.of(priming(false))).purpose());
        assertEquals(DeliveryLedger.Purpose.PRIMING_DISCONNECTED, IDLE.withBolus(Optional.of(priming(true))).purpose());
    }

    @Test
    void nothingExtraWhileSuspendedHaltedABolusRunsOrTheCatheterIsBridged() {
        assertEquals(Optional.empty(), IDLE.busy(RUNNING, AT));
        DeliveryState suspended = IDLE.withTherapy(IDLE.therapy().suspended(0, OptionalLong.empty()));
        assertEquals(Optional.of("delivery is suspended; resume first"), suspended.busy(OCCLUDED, AT), "suspended is said first");
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), IDLE.busy(OCCLUDED, AT));
        DeliveryState bolus = IDLE.withBolus(Optional.of(BOLUS));
        assertEquals(Optional.of("a bolus 50mcg over 10m is under way until t+600s"), bolus.busy(RUNNING, AT));
        DeliveryState bridged = IDLE.withBridge(Optional.of(new Bridge(2_000, Concentration.parse("1000mcg/mL"))));
        assertEquals(Optional.of("the catheter is being bridged after a change of concentration; boluses wait until it ends"),
                bridged.busy(RUNNING, AT));
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), bridged.busy(OCCLUDED, AT));
    }

    @Test
    void aDisconnectedPrimingIsWhatASuspensionIsForAndMayRunAcrossABridge() {
        DeliveryState suspended = IDLE.withTherapy(IDLE.therapy().suspended(0, OptionalLong.empty()))
                .withBridge(Optional.of(new Bridge(2_000, Concentration.parse("1000mcg/mL"))));
        assertEquals(Optional.empty(), suspended.busyForDisconnectedPriming(RUNNING, AT));
        assertEquals(Optional.of("delivery is halted (occlusion); clear the cause first"), suspended.busyForDisconnectedPriming(OCCLUDED, AT));
        assertEquals(Optional.of("a priming 0.2mL is under way until t+12s"),
                suspended.withBolus(Optional.of(priming(true))).busyForDisconnectedPriming(RUNNING, AT));
    }

    /** 50 mcg over 10 min at 500 mcg/mL in microsteps of 0.1 uL (50 ng each): 1 000 microsteps, as the plan counts them. */
    private static DeliveryState bolusOfFiftyMicrograms() {
        return IDLE.withPlan(IDLE.plan().withBolus(0, Dose.parse("50mcg"), 600 * S)).withBolus(Optional.of(BOLUS));
    }

    @Test
    void aBolusEndingUntouchedIsCompletedAndLeavesNothingRunning() {
        DeliveryState.BolusEnd end = bolusOfFiftyMicrograms().endBolus(600 * S, true, 1_000, false);
        assertEquals(new RunningBolus.Ending(1_000, "completed"), end.ending());
        assertTrue(end.next().bolus().isEmpty());
        assertTrue(end.next().primingTail().isEmpty());
    }

    @Test
    void aBolusEndingWhileHaltedCountsWhatTheHaltHoldsBack() {
        // 880 of the plan's 1 000 out when its time is up, the motor halted: 120 held back, dropped.
        DeliveryState.BolusEnd end = bolusOfFiftyMicrograms().endBolus(600 * S, true, 880, true);
        assertEquals(new RunningBolus.Ending(880, "incomplete"), end.ending());
    }

    @Test
    void aPrimingsStepsStillOwedAtItsEndAreItsTailNotTheDeliverysToThePatient() {
        // 0.2 mL in 12 s: 2 000 microsteps; a loaded host had 1 900 out when its time was up.
        RunningBolus priming = priming(false);
        DeliveryState s = IDLE.withPlan(IDLE.plan().withVolumeBolus(0, Volume.parse("0.2mL"), 12 * S)).withBolus(Optional.of(priming));
        DeliveryState.BolusEnd end = s.endBolus(12 * S, true, 1_900, false);
        assertEquals(Optional.of(new DeliveryState.PrimingTail(2_000, DeliveryLedger.Purpose.PRIMING)), end.next().primingTail());
        assertEquals(DeliveryLedger.Purpose.DELIVERY, end.next().purpose(), "what runs after it is delivery again");
        assertEquals(new RunningBolus.Ending(2_000, "completed"), end.ending(), "late steps are still owed, and go out");
        assertTrue(end.next().rebased(13 * S, 1_950).primingTail().isEmpty(), "a rebase drops what was owed, the tail too");
    }

    @Test
    void aPeriodicBolusThatWaitedIsDueWhenTheBolusEndsUnlessTheCatheterIsBridged() {
        DeliveryState waiting = bolusOfFiftyMicrograms().withPeriodicWaiting(true);
        DeliveryState after = waiting.endBolus(600 * S, true, 1_000, false).next();
        assertFalse(after.periodicWaiting());
        assertEquals(600 * S, after.nextPeriodicNanos());
        DeliveryState bridged = waiting.withBridge(Optional.of(new Bridge(5_000, Concentration.parse("1000mcg/mL"))))
                .endBolus(600 * S, true, 1_000, false).next();
        assertTrue(bridged.periodicWaiting(), "still waiting, for the bridge now");
        assertEquals(Long.MAX_VALUE, bridged.nextPeriodicNanos());
    }

    @Test
    void aFlexProgramSetsTheRateOfTheWallTimeAndWhenItNextSteps() {
        FlexProgram flex = new FlexProgram(new FlexSchedule(List.of(FlexStep.parse("06:00=350mcg/day"), FlexStep.parse("20:00=500mcg/day"))),
                Concentration.parse("500mcg/mL"), Optional.empty());
        DeliveryState programmed = IDLE.withTherapy(IDLE.therapy().withProgram(flex, 0));
        // 05:00 UTC: still the 20:00 rate, and the 06:00 step an hour from now.
        DeliveryState at5 = programmed.withBasalAt(100 * S, Instant.parse("2026-03-01T05:00:00Z"), ZoneOffset.UTC);
        assertEquals(DailyRate.parse("500mcg/day"), at5.plan().basal());
        assertEquals(100 * S + 3_600 * S, at5.nextBasalChangeNanos());
        DeliveryState suspended = programmed.withTherapy(programmed.therapy().suspended(0, OptionalLong.empty()))
                .withBasalAt(100 * S, Instant.parse("2026-03-01T05:00:00Z"), ZoneOffset.UTC);
        assertEquals(DailyRate.ZERO, suspended.plan().basal(), "no rate while suspended");
        assertEquals(Long.MAX_VALUE, suspended.nextBasalChangeNanos());
    }

    private static final long H = 3_600 * S;
    private static final Instant MIDNIGHT = Instant.parse("2026-03-01T00:00:00Z");

    /** 480 mcg/day at 500 mcg/mL in microsteps of 0.1 uL (50 ng): 400 microsteps an hour; and 20 mcg (400 microsteps) every 6 h. */
    private static DeliveryState programmedAtMidnight() {
        ContinuousProgram program = new ContinuousProgram(DailyRate.parse("480mcg/day"), Concentration.parse("500mcg/mL"),
                Optional.of(new PeriodicBolus(Dose.parse("20mcg"), Duration.ofHours(6), Duration.ofMinutes(10))));
        DeliveryState s = IDLE.withTherapy(IDLE.therapy().withProgram(program, 0)).withBasalAt(0, MIDNIGHT, ZoneOffset.UTC);
        return s.withNextPeriodic(s.therapy().nextPeriodicFrom(0));
    }

    private static Instant wallAt(long nanos) {
        return MIDNIGHT.plusNanos(nanos);
    }

    @Test
    void aResumeAfterTwoHoursSuspendedDeliversTheProgramFromThenAndMakesNothingUp() {
        DeliveryState running = programmedAtMidnight();
        assertEquals(400, running.plan().target(H));
        DeliveryState suspended = running.suspendedAt(H, OptionalLong.empty());
        assertEquals(400, suspended.plan().target(3 * H), "nothing while suspended");
        assertEquals(Long.MAX_VALUE, suspended.nextPeriodicNanos(), "no periodic bolus while suspended");
        DeliveryState resumed = suspended.resumedAt(3 * H, 400, DeliveryStateTest::wallAt, ZoneOffset.UTC);
        assertTrue(resumed.therapy().suspension().isEmpty());
        assertEquals(800, resumed.plan().target(4 * H), "an hour at 400 an hour from 400: the two suspended hours' 800 are not made up");
        assertEquals(6 * H, resumed.nextPeriodicNanos(), "the periodic bolus on the program's schedule again");
    }

    @Test
    void aPeriodicBolusStartsOnTheProgramsScheduleOrWaitsForTheBolusUnderWay() {
        DeliveryState running = programmedAtMidnight();
        assertEquals(6 * H, running.nextPeriodicNanos());
        DeliveryState.Periodic due = running.periodicDue();
        RunningBolus started = due.started().orElseThrow();
        assertEquals("periodic bolus 20mcg over 10m", started.description());
        assertEquals(400, started.requestedMicrosteps(), "20 mcg / 50 ng");
        assertEquals(6 * H, started.startNanos(), "from when it was due, however late it is taken up");
        assertEquals(12 * H, due.next().nextPeriodicNanos());
        DeliveryState.Periodic waits = running.withBolus(Optional.of(BOLUS)).periodicDue();
        assertTrue(waits.started().isEmpty());
        assertTrue(waits.next().periodicWaiting());
        assertEquals(Long.MAX_VALUE, waits.next().nextPeriodicNanos());
    }

    @Test
    void aBolusTooSmallForOneMicrostepCountsAsNone() {
        assertEquals(0, IDLE.plan().microstepsOf(Dose.parse("0.049mcg")), "49 ng of a 50 ng microstep");
        assertEquals(1, IDLE.plan().microstepsOf(Dose.parse("0.05mcg")));
        assertEquals(1_000, IDLE.plan().microstepsOf(Dose.parse("50mcg")));
    }

    @Test
    void aFirstProgramCountsInItsConcentrationAtOnceAndANewOneBridgesTheCatheter() {
        DeliveryState fresh = DeliveryState.start(IDLE.therapy(), DeliveryPlan.start(0, 0, DailyRate.ZERO,
                DeliveryOptions.PLACEHOLDER_CONCENTRATION, Volume.parse("0.1uL")));
        ContinuousProgram at500 = new ContinuousProgram(DailyRate.parse("480mcg/day"), Concentration.parse("500mcg/mL"), Optional.empty());
        DeliveryState.Changed first = fresh.programmed(at500, 0, MIDNIGHT, ZoneOffset.UTC, 0, Volume.parse("0.2mL"), Volume.parse("0.1uL"));
        assertEquals(Concentration.parse("500mcg/mL"), first.next().plan().concentration());
        assertTrue(first.bridgeStarted().isEmpty());
        assertEquals(400, first.next().plan().target(H));
        // 1000 mcg/mL after 5 000 microsteps: the catheter's 0.2 mL (2 000 microsteps) still goes at 500 mcg/mL.
        ContinuousProgram at1000 = new ContinuousProgram(DailyRate.parse("480mcg/day"), Concentration.parse("1000mcg/mL"), Optional.empty());
        DeliveryState.Changed second = first.next().programmed(at1000, H, wallAt(H), ZoneOffset.UTC, 5_000, Volume.parse("0.2mL"),
                Volume.parse("0.1uL"));
        assertEquals(Optional.of(new Bridge(7_000, Concentration.parse("1000mcg/mL"))), second.bridgeStarted());
        assertEquals(Concentration.parse("500mcg/mL"), second.next().plan().concentration(), "counted at the catheter's until it is through");
        DeliveryState.Changed noCatheter = first.next().programmed(at1000, H, wallAt(H), ZoneOffset.UTC, 5_000, Volume.ZERO,
                Volume.parse("0.1uL"));
        assertTrue(noCatheter.bridgeStarted().isEmpty());
        assertEquals(Concentration.parse("1000mcg/mL"), noCatheter.next().plan().concentration());
    }

    @Test
    void aProgramGivenWhileSuspendedStaysSuspended() {
        DeliveryState suspended = programmedAtMidnight().suspendedAt(H, OptionalLong.empty());
        ContinuousProgram lower = new ContinuousProgram(DailyRate.parse("240mcg/day"), Concentration.parse("500mcg/mL"),
                Optional.of(new PeriodicBolus(Dose.parse("20mcg"), Duration.ofHours(6), Duration.ofMinutes(10))));
        DeliveryState next = suspended.programmed(lower, 2 * H, wallAt(2 * H), ZoneOffset.UTC, 400, Volume.parse("0.2mL"),
                Volume.parse("0.1uL")).next();
        assertTrue(next.therapy().suspension().isPresent());
        assertEquals(DailyRate.ZERO, next.plan().basal());
        assertEquals(400, next.plan().target(5 * H), "nothing delivered");
        assertEquals(Long.MAX_VALUE, next.nextPeriodicNanos());
    }
}
