package org.openitb.telemetry;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmState;
import org.openitb.alarm.AlarmType;
import org.openitb.clock.SimulatedClock;
import org.openitb.journal.TherapyEvent;
import org.openitb.sim.Bench;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.TherapyCommand;

/** Acknowledgements from afar on a simulated bench: the good one acts like a local ack, everything else is refused and journaled. */
class RemoteAckTest {

    private final SimulatedClock real = SimulatedClock.utc();
    private final List<TherapyEvent> journal = new ArrayList<>();

    private static Bench occluded() {
        Bench bench = Bench.utc();
        bench.refill("20mL", "500mcg/mL");
        bench.command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))));
        bench.run(ofHours(1));
        bench.plant.occlude(true);
        bench.run(ofMinutes(1));
        return bench;
    }

    private List<String> refusals() {
        return journal.stream().filter(e -> e.type().equals("remote-ack-refused")).map(e -> String.valueOf(e.details().get("reason"))).toList();
    }

    @Test
    void eachKindOfBadAcknowledgementIsRefusedWithItsReasonAndNothingIsAcknowledged() {
        try (Bench bench = occluded()) {
            RemoteAck acks = new RemoteAck("bench-01", bench.pump.supervisor(), journal::add, bench.clock, real);
            String id = bench.openAlarm(AlarmType.OCCLUSION).id();
            List<String> bad = List.of("", "[]", "{\"id\":\"" + id + "\"}", "{\"by\":\"Ada\"}", "{\"id\":5,\"by\":\"Ada\"}",
                    "{\"id\":\"" + id + "\",\"by\":\"Ada\",\"id\":\"" + id + "\"}", "{\"id\":\"" + id + "\",\"by\":\"\"}",
                    "{\"id\":\"" + id + "\",\"by\":\"Ada\\nEve\"}", "{\"id\":\"" + id + "\",\"by\":\"Ada\",\"pumpId\":\"bench-02\"}",
                    "{\"id\":\"OCC_1;DROP\",\"by\":\"Ada\"}", "{\"id\":\"" + id + "\",\"by\":\"Ada\"} trailing");
            for (String payload : bad) {
                acks.accept(payload.getBytes(StandardCharsets.UTF_8));
                real.advance(Duration.ofSeconds(1)); // under the refusal rate limit
            }
            acks.accept(new byte[2000]);
            real.advance(Duration.ofSeconds(1));
            acks.accept(new byte[] {(byte) 0xc3, (byte) 0x28});
            bench.run(Duration.ofSeconds(1));
            List<String> reasons = refusals();
            assertEquals(bad.size() + 2, reasons.size(), reasons.toString());
            assertTrue(reasons.contains("field \"by\" is missing"), reasons.toString());
            assertTrue(reasons.contains("field \"id\" must be a string"), reasons.toString());
            assertTrue(reasons.contains("field \"id\" given twice"), reasons.toString());
            assertTrue(reasons.contains("text after the JSON object"), reasons.toString());
            assertTrue(reasons.contains("an acknowledgement of 2000 bytes is above the limit of 1024"), reasons.toString());
            assertTrue(reasons.contains("an acknowledgement must be UTF-8 text"), reasons.toString());
            assertEquals(AlarmState.RAISED, bench.openAlarm(AlarmType.OCCLUSION).state());
        }
    }

    @Test
    void aGoodOneNamingTheAlarmOrOneOfItsEventsAcknowledgesOnBehalfOfWhoSentIt() {
        try (Bench bench = occluded()) {
            RemoteAck acks = new RemoteAck("bench-01", bench.pump.supervisor(), journal::add, bench.clock, real);
            Alarm occlusion = bench.openAlarm(AlarmType.OCCLUSION);
            acks.accept(("{\"id\":\"" + occlusion.id() + ".7\",\"by\":\"Nurse Ada\",\"pumpId\":\"bench-01\"}").getBytes(StandardCharsets.UTF_8));
            bench.run(Duration.ofSeconds(1));
            Alarm acked = bench.openAlarm(AlarmType.OCCLUSION);
            assertEquals(AlarmState.ACKNOWLEDGED, acked.state());
            assertEquals("Nurse Ada (mqtt)", acked.acknowledgedBy().orElseThrow());
            assertTrue(bench.events.stream().anyMatch(e -> e.type().equals("alarm-acknowledged") && e.who().equals("Nurse Ada (mqtt)")));
            assertEquals(List.of(), refusals());
        }
    }

    @Test
    void aFloodOfGarbageIsJournaledInABurstThenCounted() {
        try (Bench bench = occluded()) {
            RemoteAck acks = new RemoteAck("bench-01", bench.pump.supervisor(), journal::add, bench.clock, real);
            for (int i = 0; i < 1000; i++) {
                acks.accept("x".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(RemoteAck.REFUSAL_BURST, refusals().size());
            real.advance(Duration.ofSeconds(1));
            acks.accept("x".getBytes(StandardCharsets.UTF_8));
            assertEquals(RemoteAck.REFUSAL_BURST + 1, refusals().size());
            assertEquals(990L, journal.get(journal.size() - 1).details().get("refusedUnreported"));
        }
    }
}
