package org.openitb.sim;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmType;
import org.openitb.alarm.RiskLevel;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.journal.TherapyEvent;
import org.openitb.therapy.CommandResult.Outcome;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/** The pump on the simulated bench, dosing for days in milliseconds. */
class DosingScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    private static TherapyCommand continuous(String rate) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), C500));
    }

    /** Microsteps in {@code rate} over {@code hours} at 500 mcg/mL on the shipped calibration. */
    private static long microsteps(Bench bench, String rate, long hours) {
        return DeliveryPlan.start(0, 0, DailyRate.parse(rate), C500, bench.config.mechanics().volumePerMicrostep())
                .target(ofHours(hours).toNanos());
    }

    @Test
    void threeDaysOfContinuousDosingMatchTheIdealAndMoveThePlunger() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            assertEquals(Outcome.APPLIED, bench.command(continuous("400mcg/day")).outcome());
            bench.run(ofDays(3));
            var status = bench.status();
            assertEquals(status.counts().idealMicrosteps(), status.counts().deliveredMicrosteps(), 1);
            assertEquals(microsteps(bench, "400mcg/day", 72), status.counts().deliveredMicrosteps(), 1);
            assertEquals(status.counts().deliveredMicrosteps(), bench.plant.plungerMicrosteps(), "the plant moved with every step");
            assertEquals(status.counts().deliveredMicrosteps(), bench.plant.deliveredToPatient());
            assertEquals(1_200_000, status.counts().deliveredDrug().nanograms(), 40, "three days at 400 mcg/day is 1200 mcg");
            assertEquals("delivering", status.running().state());
            assertEquals(Volume.parse("20mL").picolitres() - status.counts().deliveredMicrosteps() * 71_853, status.supply().remaining().picolitres());
            assertTrue(status.supply().hoursToEmpty().orElseThrow() > 500);
        }
    }

    @Test
    void aBolusGivesItsDoseOnTopOfTheBasalThenTheBasalGoesOn() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("400mcg/day"));
            bench.run(ofHours(1));
            long before = bench.delivered();
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), ofMinutes(10))).outcome());
            assertTrue(bench.status().running().bolus().isPresent());
            bench.run(ofMinutes(10));
            assertTrue(bench.status().running().bolus().isEmpty());
            // 50 mcg at 500 mcg/mL is 0.1 mL: 1391.7 microsteps, plus ten minutes of basal.
            long tenMinutesBasal = microsteps(bench, "400mcg/day", 2) / 12;
            assertEquals(1_391 + tenMinutesBasal, bench.delivered() - before, 2);
            long afterBolus = bench.delivered();
            bench.run(ofHours(2));
            assertEquals(microsteps(bench, "400mcg/day", 2), bench.delivered() - afterBolus, 1);
            var completed = bench.events.stream().filter(e -> e.type().equals("bolus-completed")).findFirst().orElseThrow();
            assertEquals(1_391L, completed.details().get("requestedMicrosteps"));
            assertEquals(1_391L, completed.details().get("deliveredMicrosteps"));
        }
    }

    @Test
    void aBolusAnOcclusionCutsIntoSaysHowMuchOfItWentOut() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("400mcg/day"));
            bench.run(ofHours(1));
            long before = bench.plant.plungerMicrosteps();
            bench.command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), ofMinutes(10)));
            bench.run(ofMinutes(5));
            bench.plant.occlude(true);
            bench.run(ofMinutes(5)); // the bolus's time runs out while the line is blocked
            long moved = bench.plant.plungerMicrosteps() - before;
            bench.plant.occlude(false);
            bench.run(ofMinutes(30));
            assertFalse(bench.eventTypes().contains("bolus-completed"), bench.eventTypes().toString());
            var incomplete = bench.events.stream().filter(e -> e.type().equals("bolus-incomplete")).findFirst().orElseThrow();
            assertEquals(1_391L, incomplete.details().get("requestedMicrosteps"));
            // What the plunger moved while the bolus ran, less ten minutes of basal (400 mcg/day at 500 mcg/mL and
            // 71.853 nL: 0.1289 microsteps/s, 77.3 in 600 s), is the bolus's share: about half of it.
            long delivered = (Long) incomplete.details().get("deliveredMicrosteps");
            assertEquals(moved - 77, delivered, 2, "moved " + moved);
            assertTrue(delivered > 600 && delivered < 800, "about half of 1391: " + delivered);
        }
    }

    @Test
    void periodicBolusesComeAtTheirIntervalFromTheProgramStart() {
        try (Bench bench = Bench.utc()) {
            var program = new ContinuousProgram(DailyRate.parse("300mcg/day"), C500,
                    Optional.of(new PeriodicBolus(Dose.parse("20mcg"), ofHours(6), ofMinutes(15))));
            bench.refill("20mL", "500mcg/mL");
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.SetProgram(program)).outcome());
            bench.run(ofHours(5).plusMinutes(59));
            assertFalse(bench.eventTypes().contains("bolus-started"), "no bolus at the start of a program");
            bench.run(ofDays(1));
            assertEquals(4, bench.events.stream().filter(e -> e.type().equals("bolus-started")).count(),
                    "at 6, 12, 18 and 24 h");
            // 29 h 59 m of 300 mcg/day plus four complete 20 mcg boluses (80 mcg: 2226.8 microsteps).
            long basal = DeliveryPlan.start(0, 0, DailyRate.parse("300mcg/day"), C500,
                    bench.config.mechanics().volumePerMicrostep()).target(ofHours(30).minusMinutes(1).toNanos());
            assertEquals(basal + 2_226, bench.delivered(), 2);
        }
    }

    @Test
    void periodicBolusesKeepTheirScheduleAcrossResumptionsAndProgramChanges() {
        try (Bench bench = Bench.utc()) {
            var every6h = Optional.of(new PeriodicBolus(Dose.parse("20mcg"), ofHours(6), ofMinutes(15)));
            bench.refill("20mL", C500);
            Instant start = bench.clock.instant();
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("300mcg/day"), C500, every6h)));
            bench.run(ofHours(2));
            bench.command(new TherapyCommand.Suspend(Optional.of(ofHours(1))));
            bench.run(ofHours(2)); // resumed at 3 h by its timer
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("320mcg/day"), C500, every6h)));
            bench.run(ofHours(8));
            // Due at 6 h and 12 h of the first program's start: neither the resumption nor the change of basal moved them.
            assertEquals(List.of(start.plus(ofHours(6)), start.plus(ofHours(12))), bench.events.stream()
                    .filter(e -> e.type().equals("bolus-started")).map(TherapyEvent::at).toList());
        }
    }

    @Test
    void primingPushesItsVolumeAtThePrimingRate() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            var result = bench.command(new TherapyCommand.Prime(Volume.parse("0.2mL")));
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            bench.run(ofSeconds(11));
            assertTrue(bench.delivered() < 2_783, "1 mL/min: 0.2 mL takes 12 s");
            bench.run(ofSeconds(2));
            assertEquals(2_783, bench.delivered(), 1, "0.2 mL / 71.853 nL");
            assertEquals("idle", bench.status().running().state(), "no program: the motor rests after priming");
            assertTrue(bench.eventTypes().contains("priming-started"));
            assertEquals(0, bench.status().counts().patientDrug().nanograms(), "it filled the dead volume: none of it reached the patient");
            assertEquals(0, bench.status().supply().deadVolumeLeft().picolitres(), "33 nL left, less than a microstep: as full as microsteps make it");
        }
    }

    @Test
    void aCalibrationPrimingPushesExactlyItsMicrosteps() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            var result = bench.command(new TherapyCommand.PrimeMicrosteps(10_000, true)); // into a vessel on a balance
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            assertTrue(result.after().contains("10000 microsteps of 71.853nL"), result.after().toString());
            bench.run(ofMinutes(2));
            assertEquals(10_000, bench.delivered(), "exactly, not within one: the scale weighs these");
            assertEquals("idle", bench.status().running().state());
        }
    }

    @Test
    void aCalibrationPrimingBeyondThePrimingLimitIsRefused() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            var result = bench.command(new TherapyCommand.PrimeMicrosteps(14_000, true)); // 1.006 mL
            assertEquals(Outcome.REFUSED, result.outcome());
            assertTrue(result.message().contains("delivery.priming-max"), result.message());
            bench.run(ofMinutes(1));
            assertEquals(0, bench.delivered());
        }
    }

    @Test
    void aTimedSuspensionStopsDeliveryAndResumesWithoutCatchingUp() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("600mcg/day"));
            bench.run(ofHours(1));
            var result = bench.command(new TherapyCommand.Suspend(Optional.of(ofMinutes(30))));
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            long atSuspend = bench.delivered();
            assertTrue(bench.status().running().suspended());
            bench.run(ofMinutes(29));
            assertEquals(atSuspend, bench.delivered());
            bench.run(ofMinutes(1));
            assertFalse(bench.status().running().suspended());
            assertEquals("delivering", bench.status().running().state());
            bench.run(ofHours(1));
            assertEquals(microsteps(bench, "600mcg/day", 1), bench.delivered() - atSuspend, 1,
                    "an hour at the programmed rate, none of the suspended half hour");
            assertTrue(bench.eventTypes().containsAll(List.of("suspended", "resumed")));
        }
    }

    @Test
    void anOpenSuspensionLastsUntilResumed() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("400mcg/day"));
            bench.run(ofHours(1));
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            long atSuspend = bench.delivered();
            bench.run(ofDays(2));
            assertEquals(atSuspend, bench.delivered());
            assertEquals(Outcome.APPLIED, bench.command(new TherapyCommand.Resume()).outcome());
            bench.run(ofHours(3));
            assertEquals(microsteps(bench, "400mcg/day", 3), bench.delivered() - atSuspend, 1);
        }
    }

    @Test
    void anOcclusionHaltsDeliveryAndClearingItResumesAtTheProgrammedRateWithNoBacklogBolus() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("400mcg/day"));
            bench.run(ofHours(1));
            bench.plant.occlude(true);
            bench.run(ofMinutes(1));
            assertEquals("halted", bench.status().running().state(), "the pressure switch trips within a minute at 400 mcg/day");
            assertEquals(List.of("occlusion"), bench.status().running().haltReasons());
            long atHalt = bench.delivered();
            bench.run(ofHours(2));
            assertEquals(atHalt, bench.delivered(), "nothing pushed against a blocked catheter");
            bench.plant.occlude(false);
            bench.run(ofSeconds(5));
            assertEquals("delivering", bench.status().running().state());
            long atResume = bench.delivered();
            assertTrue(atResume - atHalt <= 1, "no backlog bolus when the occlusion clears");
            bench.run(ofHours(1));
            assertEquals(microsteps(bench, "400mcg/day", 1), bench.delivered() - atResume, 1);
            assertTrue(bench.eventTypes().containsAll(List.of("halted", "delivery-resumed")));
        }
    }

    @Test
    void aStalledMotorAndAnEmptySyringeHaltDelivery() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("800mcg/day"));
            bench.run(ofHours(1));
            bench.plant.stall(true);
            bench.run(ofSeconds(1));
            assertEquals(List.of("motor stall"), bench.status().running().haltReasons());
            bench.plant.stall(false);
            bench.run(ofSeconds(1));
            assertEquals("delivering", bench.status().running().state());
        }
    }

    @Test
    void theSyringeRunsDryAndDeliveryHalts() {
        try (Bench bench = Bench.utc()) {
            // 1500 mcg/day at 50 mcg/mL is 30 mL/day: the 20 mL syringe lasts 16 hours.
            var program = new ContinuousProgram(DailyRate.parse("1500mcg/day"), Concentration.parse("50mcg/mL"));
            bench.refill("20mL", "50mcg/mL");
            var result = bench.command(new TherapyCommand.SetProgram(program), true);
            assertEquals(Outcome.APPLIED, result.outcome(), result.message());
            bench.run(ofHours(17));
            assertEquals("halted", bench.status().running().state());
            assertTrue(bench.status().running().haltReasons().get(0).startsWith("end of travel")
                    || bench.status().running().haltReasons().get(0).startsWith("reservoir empty"), bench.status().running().haltReasons().toString());
            assertEquals(bench.plant.travelMicrosteps(), bench.plant.plungerMicrosteps(), 1);
        }
    }

    @Test
    void aWatchdogTripHaltsDeliveryThenTheLoopRecoversWithoutCatchingUp() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("800mcg/day"));
            bench.run(ofHours(1));
            long before = bench.delivered();
            // The dose loop stalls for two seconds: only the watchdog's own thread is still running.
            bench.clock.advance(ofSeconds(2));
            bench.pump.watchdog().check(bench.clock.nanos());
            assertTrue(bench.pump.watchdog().tripped());
            bench.run(ofMillis(500));
            assertEquals("halted", bench.status().running().state());
            assertTrue(bench.status().running().haltReasons().get(0).startsWith("controller fault: motor watchdog"), bench.status().running().haltReasons().toString());
            // The controller missed its watchdog: its own alarm (high, withdrawal risk), not the motor's.
            Alarm fault = bench.openAlarm(AlarmType.CONTROLLER_FAULT);
            assertEquals(Priority.HIGH, fault.priority());
            assertTrue(fault.withdrawalRisk());
            assertTrue(fault.message().contains("retried automatically"), fault.message());
            assertTrue(bench.alarm(AlarmType.MOTOR_STALL).isEmpty(), "not a motor stall: " + bench.alarms());
            bench.run(ofSeconds(2));
            assertEquals("delivering", bench.status().running().state(), "re-armed after a second and resumed");
            bench.run(ofHours(1));
            assertEquals(microsteps(bench, "800mcg/day", 1), bench.delivered() - before, 2, "an hour's worth, no catch-up of the stall");
            assertTrue(bench.eventTypes().contains("controller-fault"));
            assertFalse(bench.eventTypes().contains("motor-fault"));
        }
    }

    @Test
    void aDoseLoopFrozenWhileDeliveringIsShownHaltedAndAlarmedWithinSecondsNotWhenItWakes(@TempDir Path state) {
        try (Bench bench = Bench.asDaemon(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), Bench.shippedConfig(),
                state)) {
            bench.refill("20mL", C500);
            bench.primeCatheter();
            bench.command(continuous("800mcg/day"));
            bench.run(ofHours(1));
            assertEquals("delivering", bench.status().running().state());
            // What `sim freeze 45s` does: the dose loop's thread stops; the watchdog's and the inputs' go on.
            bench.freezeDoseLoop(true);
            bench.run(ofSeconds(3));
            assertTrue(bench.pump.watchdog().tripped());
            assertEquals("halted", bench.status().running().state(), "the loop's last word was delivering; the motor is stopped");
            assertTrue(bench.status().running().haltReasons().stream().anyMatch(r -> r.startsWith("controller fault: motor watchdog")),
                    bench.status().running().haltReasons().toString());
            Alarm fault = bench.openAlarm(AlarmType.CONTROLLER_FAULT);
            assertEquals(Priority.HIGH, fault.priority());
            assertTrue(bench.events.stream().anyMatch(e -> e.type().equals("alarm-raised") && e.details().toString().contains("CONTROLLER_FAULT")),
                    "journaled while the loop is still frozen: " + bench.eventTypes());
            // 40 minutes frozen, nothing delivered, half-life 2 h: 2^(-1/3) = 79 % of prescribed, by hand, while still frozen
            // (the loop accrues the prescription; its snapshot stood still, and the estimate with it, at 100 %).
            bench.run(ofMinutes(40).minusSeconds(3));
            var risk = bench.risk().orElseThrow();
            assertEquals(0.794, risk.fraction(), 0.02, risk.toString());
            assertEquals(RiskLevel.ELEVATED, risk.level());
            bench.freezeDoseLoop(false);
            bench.run(ofSeconds(5));
            assertEquals("delivering", bench.status().running().state(), "the loop is back, the motor re-armed");
        }
    }

    @Test
    void aProgramOnACatheterNeverPrimedReachesThePatientOnlyOnceItIsFullAndTheEstimateSaysSo() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("400mcg/day")); // no priming: the preview warned, the clinician went on
            // By hand: 400 mcg/day of 500 mcg/mL is 0.8 mL a day, so the 0.2 mL catheter takes 6 h to fill.
            bench.run(ofMinutes(1));
            Alarm unprimed = bench.openAlarm(AlarmType.CATHETER_NOT_PRIMED);
            assertEquals(Priority.MEDIUM, unprimed.priority());
            assertTrue(unprimed.message().contains("no drug reaches the patient until it is full (about 6.0 h at 400mcg/day)"),
                    unprimed.message());
            bench.run(ofHours(5).minusMinutes(1));
            assertEquals(Priority.HIGH, bench.openAlarm(AlarmType.CATHETER_NOT_PRIMED)
                    .priority(), "high once the estimate is critical");
            assertEquals(0, bench.plant.drugToPatientNg().signum(), "the world: only the catheter's saline has come out of its tip");
            assertEquals(0, bench.status().counts().patientDrug().nanograms(), "the pump counts none of it as the patient's");
            // A patient at steady state with nothing for 5 h, half-life 2 h: 2^-2.5 = 17.7 % of the prescribed level.
            var risk = bench.risk().orElseThrow();
            assertEquals(RiskLevel.CRITICAL, risk.level());
            assertEquals(0.177, risk.fraction(), 0.01);
            bench.run(ofHours(3));
            // Past the fill both count the same drug, to within a microstep of it (71.853 nL of 500 mcg/mL: 36 ng).
            double world = bench.plant.drugToPatientNg().doubleValue();
            assertEquals(world, bench.status().counts().patientDrug().nanograms(), 36, "the pump's count against the plant's");
            assertEquals(400_000.0 * 2 / 24, world, 40, "two hours at 400 mcg/day reached the patient");
            assertFalse(bench.openAlarm(AlarmType.CATHETER_NOT_PRIMED).conditionPresent(), "full: latched (high) until acknowledged");
        }
    }

    @Test
    void motorFaultsThatKeepComingBackAreABrokenInvariant() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", C500);
            bench.command(continuous("800mcg/day"));
            bench.run(ofHours(1));
            IllegalStateException broken = null;
            for (int i = 0; i < 5 && broken == null; i++) {
                bench.clock.advance(ofSeconds(2));
                bench.pump.watchdog().check(bench.clock.nanos());
                try {
                    bench.run(ofSeconds(30));
                } catch (IllegalStateException e) {
                    broken = e;
                }
            }
            assertTrue(broken != null && broken.getMessage().startsWith("motor faults keep recurring"), String.valueOf(broken));
        }
    }
}
