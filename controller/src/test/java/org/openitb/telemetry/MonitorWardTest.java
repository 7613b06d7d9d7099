package org.openitb.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SimulatedClock;

/** A monitor watching several pumps, or all of them, fed messages by hand on a simulated clock. */
class MonitorWardTest {

    private final SimulatedClock clock = SimulatedClock.utc();

    private static List<MonitorView.Line> on(MonitorWard ward, String topic, String payload) {
        return ward.message(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    private static String alarm(String pump, String id, long seq, String priority, String state) {
        return "{\"id\":\"" + id + "." + seq + "\",\"alarmId\":\"" + id + "\",\"seq\":" + seq + ",\"pumpId\":\"" + pump
                + "\",\"type\":\"OCCLUSION\",\"priority\":\"" + priority + "\",\"state\":\"" + state + "\",\"message\":\"m\"}";
    }

    @Test
    void twoNamedPumpsEachGetTheirOwnLinesAndNoOtherPumpsMessagesReachThem() {
        MonitorWard ward = MonitorWard.of(List.of("bench-01", "bench-02"), clock);
        assertEquals(List.of("openitb/bench-01/#", "openitb/bench-02/#", "openitb/+/status"), ward.subscriptions());
        ward.connection(true, "tcp://127.0.0.1:1883");
        List<MonitorView.Line> one = on(ward, "openitb/bench-01/alarm", alarm("bench-01", "OCC-1", 1, "high", "raised"));
        assertTrue(one.get(0).text().startsWith("bench-01 ALARM HIGH OCCLUSION raised [OCC-1]"), one.get(0).text());
        List<MonitorView.Line> two = on(ward, "openitb/bench-02/status", "online");
        assertTrue(two.get(0).text().startsWith("bench-02 ONLINE"), two.get(0).text());
        assertEquals(List.of(), on(ward, "openitb/bench-03/alarm", alarm("bench-03", "OCC-3", 1, "high", "raised")), "not watched");
        assertEquals(2, ward.summaries().size());
        assertTrue(ward.summaries().get(0).text().startsWith("bench-01 status unknown | 1 open alarm: HIGH OCCLUSION raised [OCC-1]"),
                ward.summaries().get(0).text());
        assertTrue(ward.summaries().get(1).text().startsWith("bench-02 online for 0 s | no open alarms"), ward.summaries().get(1).text());
        clock.advance(Duration.ofSeconds(6));
        List<String> kinds = ward.tick().stream().map(l -> l.json().get("kind").getAsString()).toList();
        assertEquals(List.of(), kinds, "both were heard");
    }

    @Test
    void anAcknowledgementGoesToThePumpWhoseAlarmItIs() {
        MonitorWard ward = MonitorWard.of(List.of("bench-01", "bench-02"), clock);
        on(ward, "openitb/bench-02/alarm", alarm("bench-02", "OCC-2", 1, "high", "raised"));
        assertEquals(Optional.of("bench-02"), ward.ackTarget("OCC-2").pumpId());
        MonitorWard.Target unknown = ward.ackTarget("OCC-9");
        assertEquals(Optional.empty(), unknown.pumpId());
        assertEquals("no pump watched here has alarm OCC-9 open; name the pump: ack PUMP_ID OCC-9", unknown.why());
        on(ward, "openitb/bench-01/alarm", alarm("bench-01", "OCC-2", 1, "high", "raised"));
        assertEquals("alarm OCC-2 is open on bench-01 and bench-02; name the pump: ack PUMP_ID OCC-2", ward.ackTarget("OCC-2").why());
        assertEquals(Optional.of("bench-01"), MonitorWard.of(List.of("bench-01"), clock).ackTarget("OCC-7").pumpId(),
                "one pump watched: it goes there, known or not yet");
    }

    @Test
    void watchingAllTakesEachPumpAsItIsHeardAndSaysSoWhenNoneIs() {
        MonitorWard ward = MonitorWard.all(clock);
        assertEquals(List.of("openitb/+/status", "openitb/+/state", "openitb/+/alarm", "openitb/+/event"), ward.subscriptions());
        ward.connection(true, "tcp://127.0.0.1:1883");
        clock.advance(Duration.ofSeconds(5));
        List<MonitorView.Line> none = ward.tick();
        assertEquals(1, none.size());
        assertTrue(none.get(0).text().startsWith("WARNING: no pump heard on this broker under openitb/ in 5 s"), none.get(0).text());
        assertEquals(List.of(), ward.tick(), "said once");
        assertTrue(on(ward, "openitb/ward-a/status", "online").get(0).text().startsWith("ward-a ONLINE"));
        assertTrue(on(ward, "openitb/ward-b/alarm", alarm("ward-b", "OCC-1", 1, "high", "raised")).get(0).text()
                .startsWith("ward-b ALARM HIGH OCCLUSION"));
        assertEquals(List.of("ward-a", "ward-b"), ward.pumps());
        assertEquals(List.of(), on(ward, "openitb/ward-a/cmd/ack", "{}"), "a monitor's own acknowledgement topic is no pump's message");
    }

    @Test
    void watchingAllStopsAtTheLimitAndSaysSoOnce() {
        MonitorWard ward = MonitorWard.all(clock);
        for (int i = 0; i < MonitorWard.PUMP_LIMIT; i++) {
            on(ward, "openitb/p" + i + "/status", "online");
        }
        List<MonitorView.Line> over = on(ward, "openitb/p-over/status", "online");
        assertEquals(1, over.size());
        assertTrue(over.get(0).text().startsWith("WARNING: more than 64 pumps on this broker: p-over and any after it are not watched"),
                over.get(0).text());
        assertEquals(List.of(), on(ward, "openitb/p-over-2/status", "online"), "said once");
        assertEquals(MonitorWard.PUMP_LIMIT, ward.pumps().size());
    }
}
