package org.openitb.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.drivers.annunciator.Pi4jAnnunciator;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.sensor.SensorHealth;
import org.openitb.drivers.sensor.SensorHealth.Kind;
import org.openitb.sim.Bench;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.TherapyCommand;

/**
 * The supervisor fed observations no bench fault produces: delivery ahead of its plan (the
 * scheduler never steps ahead, so only a broken one would) and a broker out of reach (fed by
 * telemetry). The observations start from a real pump's status.
 */
class AlarmSupervisorTest {

    private final Bench bench = Bench.utc();
    private final List<AlarmEvent> events = new ArrayList<>();
    private final AlarmSupervisor supervisor;

    AlarmSupervisorTest() {
        bench.refill("20mL", "500mcg/mL");
        bench.primeCatheter(); // as a clinician does: from here on the drug reaches the patient as it goes out
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))));
        bench.run(Duration.ofHours(1));
        // A second annunciator on its own mock pins, so this supervisor does not fight the bench's over the signals.
        var gpio = Gpio.mock();
        supervisor = new AlarmSupervisor(bench.config.alarms(), bench.clock, new Pi4jAnnunciator(gpio, bench.config.annunciator()),
                events::add, e -> { }, m -> { });
    }

    @AfterEach
    void close() {
        bench.close();
    }

    private Observation seeing(DeliveryStatus status, Optional<String> broker) {
        return new Observation(status, Set.of(), Map.of(), Optional.empty(), OptionalLong.of(10_000), broker);
    }

    /** The bench's status with {@code extra} more microsteps counted as delivered than the plan wants. */
    private DeliveryStatus ahead(long extra) {
        DeliveryStatus s = bench.status();
        DeliveryStatus.Counts c = s.counts();
        return new DeliveryStatus(s.nanos(), s.at(), s.running(), s.supply(), new DeliveryStatus.Counts(s.plan().target(bench.clock.nanos()) + extra,
                c.idealMicrosteps(), c.deliveredDrug(), c.patientDrug(), c.patientDrugLast24h(), c.overdose(), c.prescribedDrug()), s.health(),
                s.plan());
    }

    @Test
    void deliveryAheadOfThePlanBeyondTheLargeToleranceIsAnOverdoseRiskAtOnce() {
        supervisor.tick(bench.clock.nanos(), seeing(ahead(10), Optional.empty()));
        assertTrue(supervisor.view().open().isEmpty(), "10 microsteps (0.7 uL) ahead: within tolerance");
        supervisor.tick(bench.clock.nanos(), seeing(ahead(80), Optional.empty()));
        Alarm over = supervisor.view().open().get(0);
        assertEquals(AlarmType.OVER_DELIVERY, over.type());
        assertEquals(Priority.HIGH, over.priority());
        assertTrue(over.overdoseRisk() && !over.withdrawalRisk());
        assertTrue(over.message().startsWith("delivery ahead of the program by 5.748uL (80 microsteps"), over.message());
    }

    @Test
    void drugBeyondTheLibraryInTheLast24HoursIsAnOverdoseAlarmWhateverPathItTook() {
        DeliveryStatus s = bench.status();
        DeliveryStatus.Counts c = s.counts();
        DeliveryStatus over = new DeliveryStatus(s.nanos(), s.at(), s.running(), s.supply(), new DeliveryStatus.Counts(c.deliveredMicrosteps(),
                c.idealMicrosteps(), c.deliveredDrug(), c.patientDrug(), Dose.parse("6016mcg"),
                Optional.of("6016mcg reached the patient in the last 24 h, above the hard limit of 1500mcg/day (library.daily-dose.hard-max)"),
                c.prescribedDrug()), s.health(), s.plan());
        supervisor.tick(bench.clock.nanos(), seeing(over, Optional.empty()));
        Alarm alarm = supervisor.view().open().get(0);
        assertEquals(AlarmType.OVER_DELIVERY, alarm.type());
        assertEquals(Priority.HIGH, alarm.priority());
        assertTrue(alarm.overdoseRisk());
        assertEquals("overdose: 6016mcg reached the patient in the last 24 h, above the hard limit of 1500mcg/day"
                + " (library.daily-dose.hard-max)", alarm.message());
    }

    @Test
    void aBrokerOutOfReachIsALowAlarmThatEndsByItself() {
        supervisor.tick(bench.clock.nanos(), seeing(bench.status(), Optional.of("no answer from tcp://broker:1883 for 5 min")));
        Alarm broker = supervisor.view().open().get(0);
        assertEquals(AlarmType.BROKER_UNREACHABLE, broker.type());
        assertEquals(Priority.LOW, broker.priority());
        assertFalse(broker.latches());
        supervisor.tick(bench.clock.nanos(), seeing(bench.status(), Optional.empty()));
        assertTrue(supervisor.view().open().isEmpty());
        assertEquals(List.of(AlarmEvent.Transition.RAISED, AlarmEvent.Transition.CLEARED), events.stream().map(AlarmEvent::transition).toList());
    }

    @Test
    void acknowledgementsBeyondTheQueueAreRefusedAtOnce() throws Exception {
        for (int i = 0; i < AlarmSupervisor.ACK_QUEUE_LIMIT; i++) {
            assertFalse(supervisor.acknowledge("OCC-" + i, "nurse").isDone(), "within the queue: waits for the supervisor's pass");
        }
        AlarmSupervisor.AckResult refused = supervisor.acknowledge("OCC-X", "nurse").get();
        assertFalse(refused.ok());
        assertTrue(refused.message().startsWith("the alarm supervisor is busy"), refused.message());
        supervisor.tick(bench.clock.nanos(), seeing(bench.status(), Optional.empty()));
        assertFalse(supervisor.acknowledge("OCC-Y", "nurse").isDone(), "room again after a tick: queued, not refused");
    }

    @Test
    void twoAlarmsOfOneTypeRaisedInTheSameMillisecondGetDifferentIds() {
        var sensors = Map.of("occlusion", new SensorHealth(Kind.CHATTER, "24 edges"),
                "stall", new SensorHealth(Kind.STUCK, "did not follow its supply"));
        supervisor.tick(bench.clock.nanos(), new Observation(bench.status(), Set.of(), sensors, Optional.empty(), OptionalLong.empty(), Optional.empty()));
        List<String> ids = supervisor.view().open().stream().map(Alarm::id).toList();
        assertEquals(2, ids.size());
        assertEquals(2, Set.copyOf(ids).size(), ids.toString());
    }
}
