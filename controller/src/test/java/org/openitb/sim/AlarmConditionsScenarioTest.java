package org.openitb.sim;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmEvent.Transition;
import org.openitb.alarm.AlarmState;
import org.openitb.alarm.AlarmType;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.journal.JournalEntry;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/** Each alarm condition of the contract, raised on the simulated bench the way it happens at a real one. */
class AlarmConditionsScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    @TempDir
    Path stateDir;

    private static TherapyCommand program(String rate, String concentration) {
        return new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), Concentration.parse(concentration)));
    }

    private static Bench delivering(String rate) {
        Bench bench = Bench.utc();
        bench.refill("20mL", "500mcg/mL");
        bench.primeCatheter(); // as a clinician does: from here on the drug reaches the patient as it goes out
        bench.command(program(rate, "500mcg/mL"));
        bench.run(ofHours(1));
        return bench;
    }

    @Test
    void theSyringeRunningDryRaisesReservoirEmptyAndEndOfTravel() {
        try (Bench bench = Bench.utc()) {
            bench.refill("20mL", "50mcg/mL");
            bench.command(program("800mcg/day", "50mcg/mL")); // 16 mL a day from 20 mL
            bench.run(ofHours(31));
            assertEquals("halted", bench.status().running().state());
            Alarm empty = bench.openAlarm(AlarmType.RESERVOIR_EMPTY);
            assertEquals(Priority.HIGH, empty.priority());
            assertTrue(empty.withdrawalRisk());
            assertEquals(Priority.HIGH, bench.openAlarm(AlarmType.END_OF_TRAVEL).priority(), "the plunger is at the end too");
            assertTrue(bench.alarm(AlarmType.RESERVOIR_LOW).isEmpty(), "empty supersedes low");
        }
    }

    @Test
    void aSyringeHoldingLessThanRecordedHitsTheEndOfTravelWhileTheModelStillCountsDrug() {
        try (Bench bench = delivering("800mcg/day")) {
            // The refill error the other way round: 1 mL in the syringe, 20 mL on record.
            bench.plant.refill(Volume.parse("0.001mL"), bench.config.mechanics().volumePerMicrostep());
            bench.run(ofHours(1));
            assertEquals(Priority.HIGH, bench.openAlarm(AlarmType.END_OF_TRAVEL).priority());
            assertTrue(bench.alarm(AlarmType.RESERVOIR_EMPTY).isEmpty(), "the model still counts " + bench.status().supply().remaining());
            assertEquals("halted", bench.status().running().state());
        }
    }

    @Test
    void aStalledMotorRaisesMotorStall() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.stall(true);
            bench.run(ofSeconds(30));
            Alarm stall = bench.openAlarm(AlarmType.MOTOR_STALL);
            assertEquals(Priority.HIGH, stall.priority());
            assertTrue(stall.message().startsWith("motor stall"), stall.message());
            bench.plant.stall(false);
            bench.run(ofSeconds(30));
            assertFalse(bench.openAlarm(AlarmType.MOTOR_STALL).conditionPresent(), "gone, but latched");
        }
    }

    @Test
    void aStuckDoseLoopFallsBehindAndRaisesDeliveryDeficitBeyondTheLargeTolerance() {
        try (Bench bench = delivering("800mcg/day")) { // 0.258 microsteps/s: 5 uL (70 microsteps) behind in 4.5 min
            bench.freezeDoseLoop(true);
            bench.run(ofMinutes(4));
            assertTrue(bench.alarm(AlarmType.DELIVERY_DEFICIT).isEmpty(), "within the large tolerance, not yet sustained");
            bench.run(ofMinutes(1));
            Alarm deficit = bench.openAlarm(AlarmType.DELIVERY_DEFICIT);
            assertEquals(Priority.HIGH, deficit.priority());
            assertTrue(deficit.withdrawalRisk() && deficit.risk().isPresent());
            assertTrue(deficit.message().contains("tolerance 5uL at once"), deficit.message());
        }
    }

    @Test
    void aSmallDeficitAlarmsOnlyWhenSustained() {
        try (Bench bench = new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"),
                Bench.shippedConfig(Map.of("sensors.poll-interval", "250ms", "alarm.delivery.large-tolerance", "1mL")))) {
            bench.refill("20mL", "500mcg/mL");
            bench.command(program("800mcg/day", "500mcg/mL"));
            bench.run(ofHours(1));
            bench.freezeDoseLoop(true);
            bench.run(ofMinutes(10)); // 1 uL (14 microsteps) behind after 54 s, sustained from there
            assertTrue(bench.alarm(AlarmType.DELIVERY_DEFICIT).isEmpty(), "beyond the small tolerance for less than 10 min");
            bench.run(ofMinutes(1));
            assertTrue(bench.openAlarm(AlarmType.DELIVERY_DEFICIT).message().contains("tolerance 1uL for 10m"),
                    bench.openAlarm(AlarmType.DELIVERY_DEFICIT).message());
        }
    }

    @Test
    void aRestartRaisesControllerRestartedWithTheGapTheMissedDoseAndTheRisk() {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", "500mcg/mL");
        bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
        bench.command(program("400mcg/day", "500mcg/mL"));
        bench.run(ofHours(12));
        bench = bench.restartAfter(ofHours(3));
        try {
            bench.run(ofSeconds(1));
            Alarm restarted = bench.openAlarm(AlarmType.CONTROLLER_RESTARTED);
            assertEquals(Priority.HIGH, restarted.priority());
            assertEquals(10_800L, ((Number) restarted.details().get("gapSeconds")).longValue());
            assertEquals("50mcg", restarted.details().get("missedDose"), "three hours of 400mcg/day");
            // Three hours without delivery, a 2 h half-life: 2^(-3/2) = 35 % of prescribed.
            assertEquals(35, restarted.risk().orElseThrow().percent(), 1);
            assertTrue(restarted.message().contains("10800 s"), restarted.message());
            bench.run(ofHours(1));
            assertEquals(AlarmState.RAISED, bench.openAlarm(AlarmType.CONTROLLER_RESTARTED).state(), "latched until acknowledged");
            bench.ack(restarted.id(), "nurse");
            assertTrue(bench.alarm(AlarmType.CONTROLLER_RESTARTED).isEmpty());
        } finally {
            bench.close();
        }
    }

    @Test
    void openAlarmsAndTheRiskEstimateComeBackAfterARestart() throws Exception {
        Bench bench = Bench.remembering(stateDir);
        bench.refill("20mL", "500mcg/mL");
        bench.primeCatheter(); // the catheter filled first: from here on the drug reaches the patient as it goes out
        bench.command(program("400mcg/day", "500mcg/mL"));
        bench.run(ofHours(12));
        bench.plant.occlude(true);
        bench.run(ofHours(2));
        String id = bench.openAlarm(AlarmType.OCCLUSION).id();
        bench.ack(id, "nurse");
        bench.plant.occlude(false);
        bench.plant.reservoirSwitch(Optional.of(true));
        bench.run(ofMinutes(1));
        String discrepancy = bench.openAlarm(AlarmType.RESERVOIR_DISCREPANCY).id();
        bench = bench.restartAfter(ofMinutes(10));
        try {
            assertEquals(discrepancy, bench.alarms().stream().filter(a -> a.type() == AlarmType.RESERVOIR_DISCREPANCY).findFirst()
                    .orElseThrow().id(), "the open alarm keeps its id across the restart");
            bench.plant.reservoirSwitch(Optional.of(true)); // the float is still stuck
            bench.run(ofSeconds(1));
            assertEquals(discrepancy, bench.openAlarm(AlarmType.RESERVOIR_DISCREPANCY).id(), "the same alarm goes on");
            // Two hours occluded then ten minutes down: the estimate continues from before the restart.
            double expected = Math.pow(2, -(2 + 1 / 6.0) / 2); // the shipped half-life, 2 h
            assertEquals(expected * 100, bench.risk().orElseThrow().fraction() * 100, 1.5);
            assertTrue(bench.store().history(1000).stream().map(JournalEntry::type).toList().contains("alarm-acknowledged"));
        } finally {
            bench.close();
        }
    }

    @Test
    void aChatteringSwitchRaisesSensorFault() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.chatter("occlusion", 24);
            bench.run(ofSeconds(2));
            Alarm fault = bench.openAlarm(AlarmType.SENSOR_FAULT);
            assertEquals(Priority.MEDIUM, fault.priority());
            assertEquals("occlusion", fault.subject());
            assertTrue(fault.message().contains("chatter"), fault.message());
            assertFalse(fault.conditionPresent(), "a burst: quiet again after the chatter window");
            assertEquals(AlarmState.RAISED, fault.state(), "an intermittent fault latches, medium or not, so it is seen");
        }
    }

    @Test
    void aReservoirRunningDownRaisesRefillDueThenLowAndARefillEndsBoth() {
        try (Bench bench = delivering("400mcg/day")) { // 0.8 mL a day from 20 mL: low at 5.6 mL, on day 18
            bench.run(ofDays(14));
            assertTrue(bench.alarm(AlarmType.REFILL_DUE).isEmpty(), "more than three days before the refill date");
            bench.run(ofDays(1).plusHours(12));
            Alarm due = bench.openAlarm(AlarmType.REFILL_DUE);
            assertEquals(Priority.LOW, due.priority());
            // A suspension does not put the refill off: the syringe must last for the program it stops.
            bench.command(new TherapyCommand.Suspend(Optional.of(Duration.ofHours(1))));
            bench.run(ofMinutes(30));
            assertEquals(due.id(), bench.openAlarm(AlarmType.REFILL_DUE).id(), "still due while suspended");
            assertEquals(List.of(Transition.RAISED), bench.transitions(AlarmType.REFILL_DUE));
            bench.run(ofDays(3));
            Alarm low = bench.openAlarm(AlarmType.RESERVOIR_LOW);
            assertEquals(Priority.MEDIUM, low.priority());
            assertTrue(low.withdrawalRisk());
            assertTrue(bench.alarm(AlarmType.REFILL_DUE).isEmpty(), "low supersedes due");
            bench.command(new TherapyCommand.Refill(Volume.parse("20mL"), C500, Optional.empty()));
            bench.run(ofMinutes(1));
            assertTrue(bench.alarm(AlarmType.RESERVOIR_LOW).isEmpty(), "a medium alarm ends with its condition: refilled");
            assertEquals(List.of(Transition.RAISED, Transition.CLEARED), bench.transitions(AlarmType.RESERVOIR_LOW));
        }
    }

    @Test
    void aFillingDiskRaisesStorageLow() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.disk.setFreeMb(20);
            bench.run(ofSeconds(61));
            Alarm low = bench.openAlarm(AlarmType.STORAGE_LOW);
            assertEquals(Priority.LOW, low.priority());
            assertTrue(low.message().startsWith("only 20 MiB free"), low.message());
            bench.disk.setFreeMb(5_000);
            bench.run(ofSeconds(61));
            assertTrue(bench.alarm(AlarmType.STORAGE_LOW).isEmpty());
            // It does not latch: cleared with its condition, and its last word does not say latched.
            var cleared = bench.alarmEvents.stream().filter(e -> e.alarm().type() == AlarmType.STORAGE_LOW).toList().getLast();
            assertEquals(Transition.CLEARED, cleared.transition());
            assertTrue(cleared.alarm().message().startsWith("condition ended; it was: only 20 MiB free"), cleared.alarm().message());
        }
    }

    @Test
    void aMemoryThatCouldNotBeUsedAtStartRaisesStorageFailure() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.pump.controller().storageAlert("the database could not be used at start; it was moved aside");
            bench.run(ofSeconds(1));
            Alarm failing = bench.openAlarm(AlarmType.STORAGE_FAILURE);
            assertEquals(Priority.MEDIUM, failing.priority());
            assertTrue(failing.message().contains("moved aside"), failing.message());
        }
    }

    @Test
    void aBuzzerThatCannotSoundIsItselfAHighAlarmShownEverywhereElse() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.annunciator.breakBuzzer(true);
            bench.plant.occlude(true); // something to sound for
            bench.run(ofSeconds(30));
            Alarm broken = bench.openAlarm(AlarmType.ANNUNCIATOR_FAILURE);
            assertEquals(Priority.HIGH, broken.priority());
            assertTrue(broken.message().contains("buzzer pin failed"), broken.message());
            assertTrue(bench.eventTypes().contains("alarm-raised"), "journaled");
            bench.annunciator.breakBuzzer(false);
            bench.run(ofSeconds(30));
            assertFalse(bench.openAlarm(AlarmType.ANNUNCIATOR_FAILURE).conditionPresent(), "mended, latched until acknowledged");
        }
    }

    @Test
    void aDoseLoopThatHangsWhileHaltedIsAnAlarmThoughItsLastWordWasHalted() {
        try (Bench bench = delivering("800mcg/day")) {
            bench.plant.stall(true);
            bench.run(ofSeconds(1));
            assertEquals("halted", bench.status().running().state());
            bench.freezeDoseLoop(true);
            bench.plant.stall(false);
            bench.ack(bench.openAlarm(AlarmType.MOTOR_STALL).id(), "nurse"); // the stall is over: its alarm clears
            bench.run(ofSeconds(25));
            assertTrue(bench.alarm(AlarmType.MOTOR_STALL).isEmpty());
            assertTrue(bench.alarm(AlarmType.DOSE_LOOP_HUNG).isEmpty(), "a loop may sleep a few seconds");
            bench.run(ofSeconds(10));
            Alarm hung = bench.openAlarm(AlarmType.DOSE_LOOP_HUNG);
            assertEquals(Priority.HIGH, hung.priority());
            assertTrue(hung.withdrawalRisk());
            assertTrue(hung.message().contains("its last word: halted"), hung.message());
            bench.freezeDoseLoop(false);
            bench.run(ofSeconds(5));
            assertEquals("delivering", bench.status().running().state(), "the loop is back");
        }
    }
}
