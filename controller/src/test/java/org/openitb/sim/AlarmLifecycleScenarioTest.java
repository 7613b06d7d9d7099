package org.openitb.sim;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.openitb.alarm.RiskLevel;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;

/**
 * An alarm's life on the simulated bench: raised, acknowledged, sounding again, latched, cleared;
 * the annunciator following the highest priority; the withdrawal-risk estimate rising during an
 * occlusion; and delivery after it following the program with no backlog bolus.
 */
class AlarmLifecycleScenarioTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    private static Bench delivering(String rate) {
        Bench bench = Bench.utc();
        bench.refill("20mL", C500);
        bench.primeCatheter(); // as a clinician does: from here on the drug reaches the patient as it goes out
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(rate), C500)));
        bench.run(ofHours(24));
        return bench;
    }

    private static long microsteps(Bench bench, String rate, Duration over) {
        return DeliveryPlan.start(0, 0, DailyRate.parse(rate), C500, bench.config.mechanics().volumePerMicrostep()).target(over.toNanos());
    }

    @Test
    void anOcclusionIsLoudEarlyAndLatchedAndItsEndBringsNoBacklogBolus() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.occlude(true);
            bench.run(ofMinutes(1));
            Alarm occlusion = bench.openAlarm(AlarmType.OCCLUSION);
            assertEquals(Priority.HIGH, occlusion.priority());
            assertEquals(AlarmState.RAISED, occlusion.state());
            assertTrue(occlusion.withdrawalRisk() && !occlusion.overdoseRisk());
            assertEquals(RiskLevel.NONE, occlusion.risk().orElseThrow().level(), "a minute in: no risk yet");
            // ln(1/0.9) / (ln 2 / 2 h) = 18.2 min from the stop.
            assertTrue(occlusion.risk().orElseThrow().etaNextLevelMinutes().getAsLong() <= 18, "elevated within ~18 min: " + occlusion.risk());
            assertEquals("halted", bench.status().running().state());
            assertEquals(Priority.HIGH, bench.pump.supervisor().view().open().get(0).priority());
            assertTrue(bench.annunciator.buzzerOn() || bench.annunciator.tonesSince(bench.clock.nanos() - ofSeconds(30).toNanos()) > 0,
                    "the high alarm sounds");

            bench.run(ofHours(5));
            assertTrue(bench.risk().orElseThrow().level().compareTo(RiskLevel.HIGH) >= 0, "five hours stopped: " + bench.risk());
            assertTrue(bench.transitions(AlarmType.OCCLUSION).contains(Transition.ESCALATED), "the rising risk was re-emitted");
            assertTrue(bench.eventTypes().contains("withdrawal-risk-rose"));

            String id = bench.openAlarm(AlarmType.OCCLUSION).id();
            assertTrue(bench.ack(id, "nurse").ok());
            assertEquals(AlarmState.ACKNOWLEDGED, bench.openAlarm(AlarmType.OCCLUSION).state());
            assertEquals(Optional.of("nurse"), bench.openAlarm(AlarmType.OCCLUSION).acknowledgedBy());
            long silencedAt = bench.clock.nanos();
            bench.run(ofMinutes(14));
            assertEquals(0, bench.annunciator.tonesSince(silencedAt), "silenced while acknowledged");
            assertTrue(bench.annunciator.ledOn() || !bench.annunciator.ledEdges().isEmpty(), "the light stays");

            bench.run(ofMinutes(2));
            assertEquals(AlarmState.RAISED, bench.openAlarm(AlarmType.OCCLUSION).state(), "the silence ran out with the catheter still blocked");
            assertTrue(bench.transitions(AlarmType.OCCLUSION).contains(Transition.REANNUNCIATED));
            assertTrue(bench.annunciator.tonesSince(silencedAt + ofMinutes(15).toNanos()) > 0, "it sounds again");

            bench.plant.occlude(false);
            bench.run(ofMinutes(1));
            Alarm latched = bench.openAlarm(AlarmType.OCCLUSION);
            assertFalse(latched.conditionPresent());
            assertEquals(AlarmState.RAISED, latched.state(), "a high alarm stays until acknowledged");
            assertEquals("delivering", bench.status().running().state());

            long resumed = bench.delivered();
            bench.run(ofHours(2));
            assertEquals(microsteps(bench, "400mcg/day", ofHours(2)), bench.delivered() - resumed, 1,
                    "two hours at the programmed rate, none of the six occluded hours made up");

            assertTrue(bench.ack(id, "nurse").ok());
            assertTrue(bench.alarm(AlarmType.OCCLUSION).isEmpty());
            assertEquals(List.of(Transition.RAISED, Transition.ESCALATED, Transition.ESCALATED, Transition.ESCALATED, Transition.ACKNOWLEDGED,
                    Transition.REANNUNCIATED, Transition.CONDITION_ENDED, Transition.ACKNOWLEDGED, Transition.CLEARED), bench.transitions(AlarmType.OCCLUSION));
            bench.run(ofSeconds(5));
            assertEquals(Priority.NONE, bench.pump.supervisor().view().open().stream().map(Alarm::priority).findFirst().orElse(Priority.NONE));
            assertFalse(bench.annunciator.buzzerOn());
        }
    }

    @Test
    void anOcclusionEdgeAlarmsOnThePassItWakesAndAnAcknowledgementIsTakenAtOnceWhenNothingElseChanged() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.run(ofSeconds(30)); // quiet: the supervisor passes only on its own period or on a change
            bench.plant.occlusionSwitch(Optional.of(true));
            bench.run(Duration.ofMillis(25)); // the occlusion switch's debounce, 20 ms, and no poll needed
            Alarm occlusion = bench.openAlarm(AlarmType.OCCLUSION);
            assertEquals(AlarmState.RAISED, occlusion.state());
            bench.plant.occlusionSwitch(Optional.empty());
            bench.run(ofSeconds(5));
            assertFalse(bench.openAlarm(AlarmType.OCCLUSION).conditionPresent());
            long before = bench.clock.nanos();
            assertTrue(bench.ack(occlusion.id(), "nurse").ok());
            assertEquals(before, bench.clock.nanos(), "taken on the pass the acknowledgement woke, not at the next period");
            assertTrue(bench.alarm(AlarmType.OCCLUSION).isEmpty());
        }
    }

    @Test
    void aMediumAlarmDoesNotLatchAndAHighOneSupersedesItOnTheAnnunciator() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.reservoirSwitch(Optional.of(true)); // the float says low on a nearly full syringe
            bench.run(ofMinutes(1));
            Alarm discrepancy = bench.openAlarm(AlarmType.RESERVOIR_DISCREPANCY);
            assertEquals(Priority.MEDIUM, discrepancy.priority());
            assertEquals(Priority.MEDIUM, annunciated(bench));

            bench.plant.occlude(true);
            bench.run(ofMinutes(1));
            assertEquals(Priority.HIGH, annunciated(bench), "the high alarm takes over the signals");
            assertEquals(AlarmType.OCCLUSION, bench.alarms().get(0).type(), "highest priority first");

            bench.ack(bench.openAlarm(AlarmType.OCCLUSION).id(), "nurse");
            bench.ack(discrepancy.id(), "nurse");
            bench.run(ofSeconds(1));
            assertEquals(Priority.HIGH, annunciated(bench), "the light of the highest stays while its condition holds");
            assertFalse(bench.pump.supervisor().view().open().stream().anyMatch(a -> a.state() == AlarmState.RAISED));

            bench.plant.reservoirSwitch(Optional.empty());
            bench.run(ofMinutes(1));
            assertTrue(bench.alarm(AlarmType.RESERVOIR_DISCREPANCY).isEmpty(), "a medium alarm ends with its condition");
            bench.plant.occlude(false);
            bench.run(ofMinutes(1));
            assertTrue(bench.alarm(AlarmType.OCCLUSION).isEmpty(), "acknowledged and gone: cleared");
            assertEquals(Priority.NONE, annunciated(bench));
        }
    }

    @Test
    void acknowledgingAnUnknownAlarmIsRefusedAndChangesNothing() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.occlude(true);
            bench.run(ofMinutes(1));
            var refused = bench.ack("OCC-NOSUCH", "nurse");
            assertFalse(refused.ok());
            assertTrue(refused.message().startsWith("no open alarm OCC-NOSUCH; open: OCC-"), refused.message());
            assertEquals(AlarmState.RAISED, bench.openAlarm(AlarmType.OCCLUSION).state());
        }
    }

    @Test
    void aLongSuspensionAlarmsThenEscalatesToHighAndSoundsAgainEvenIfAcknowledged() {
        // A half-life of 12 h keeps the estimate out of it (at 6 h it is 71 %, high): the suspension's own timers decide here.
        Bench bench = new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"),
                Bench.shippedConfig(Map.of("sensors.poll-interval", "250ms", "risk.half-life", "12h")));
        bench.refill("20mL", C500);
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)));
        bench.run(ofHours(24));
        try (bench) {
            bench.command(new TherapyCommand.Suspend(Optional.empty()));
            bench.run(ofMinutes(119));
            assertTrue(bench.alarm(AlarmType.SUSPENDED_TOO_LONG).isEmpty());
            bench.run(ofMinutes(2));
            Alarm suspended = bench.openAlarm(AlarmType.SUSPENDED_TOO_LONG);
            assertEquals(Priority.MEDIUM, suspended.priority());
            assertTrue(suspended.withdrawalRisk());
            bench.ack(suspended.id(), "nurse");
            bench.run(ofHours(4));
            Alarm escalated = bench.openAlarm(AlarmType.SUSPENDED_TOO_LONG);
            assertEquals(Priority.HIGH, escalated.priority(), "six hours suspended");
            assertEquals(AlarmState.RAISED, escalated.state(), "a rise in priority wants attention again");
            assertEquals(suspended.id(), escalated.id(), "the same alarm, escalated");
            assertTrue(bench.transitions(AlarmType.SUSPENDED_TOO_LONG).contains(Transition.ESCALATED));
            var resumed = bench.command(new TherapyCommand.Resume());
            assertFalse(resumed.message().contains("primed"), "nothing was primed while suspended: " + resumed.message());
            bench.run(ofMinutes(1));
            assertEquals(AlarmState.RAISED, bench.openAlarm(AlarmType.SUSPENDED_TOO_LONG).state(), "high now: latched until acknowledged");
        }
    }

    @TempDir
    Path stateDir;

    @Test
    void aLatchedAlarmTellsTheRemoteSideWhenItsConditionEndsAndWhenItComesBack() throws Exception {
        try (Bench bench = Bench.asDaemon(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), Bench.shippedConfig(),
                stateDir)) {
            bench.refill("20mL", C500);
            bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), C500)));
            bench.run(ofHours(1));
            bench.plant.stall(true);
            bench.run(ofMinutes(1));
            String id = bench.openAlarm(AlarmType.MOTOR_STALL).id();
            bench.plant.stall(false);
            bench.run(ofMinutes(2));
            Alarm released = bench.openAlarm(AlarmType.MOTOR_STALL);
            assertEquals(AlarmState.RAISED, released.state(), "high: latched until acknowledged");
            assertFalse(released.conditionPresent());
            assertTrue(released.message().startsWith("condition ended, latched until acknowledged; it was: "), released.message());
            bench.plant.stall(true);
            bench.run(ofMinutes(1));
            assertEquals(List.of(Transition.RAISED, Transition.CONDITION_ENDED, Transition.CONDITION_RETURNED), bench.transitions(AlarmType.MOTOR_STALL));
            assertEquals(id, bench.openAlarm(AlarmType.MOTOR_STALL).id(), "the same alarm");
            // What a caregiver's monitor receives: every transition, the condition as it stands (once the writer has it on disk).
            assertTrue(bench.store().flush(Duration.ofSeconds(30)), "the outbox reached the disk");
            List<JsonObject> sent = bench.store().outbox(1_000).stream().filter(m -> m.topic().endsWith("/alarm"))
                    .map(m -> JsonParser.parseString(m.payload()).getAsJsonObject())
                    .filter(o -> o.get("type").getAsString().equals("MOTOR_STALL")).toList();
            assertEquals(List.of("raised", "condition-ended", "condition-returned"), sent.stream().map(o -> o.get("transition").getAsString()).toList());
            assertEquals(List.of(true, false, true), sent.stream().map(o -> o.get("conditionPresent").getAsBoolean()).toList());
            assertEquals(List.of("raised", "raised", "raised"), sent.stream().map(o -> o.get("state").getAsString()).toList());
        }
    }

    @Test
    void theSoundFollowsTheHighestAlarmNotSilencedAndTheLightTheHighestOpen() {
        try (Bench bench = delivering("400mcg/day")) {
            bench.plant.occlude(true);
            bench.run(ofMinutes(1));
            bench.ack(bench.openAlarm(AlarmType.OCCLUSION).id(), "nurse"); // silenced for 15 min, still occluded
            bench.plant.chatter("reservoir-low", 20); // a new medium alarm: SENSOR_FAULT
            bench.run(ofSeconds(2));
            assertEquals(Priority.MEDIUM, bench.openAlarm(AlarmType.SENSOR_FAULT).priority());
            long from = bench.clock.nanos();
            bench.run(ofSeconds(69)); // ten medium bursts of 6.9 s
            // Counted on the buzzer pin: three tones a burst (medium), not the high burst's ten.
            assertEquals(30, bench.annunciator.tonesSince(from), 3);
            long flashes = bench.annunciator.ledEdges().stream().filter(e -> e.on() && e.nanos() >= from).count();
            assertEquals(138, flashes, 2, "the light flashes the high pattern, 2 Hz");
        }
    }

    private static Priority annunciated(Bench bench) {
        return bench.pump.supervisor().view().open().stream().map(Alarm::priority).reduce(Priority.NONE, Priority::max);
    }
}
