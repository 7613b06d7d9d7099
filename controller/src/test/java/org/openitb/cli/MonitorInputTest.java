package org.openitb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SimulatedClock;
import org.openitb.telemetry.MonitorWard;

/** What a caregiver types into {@code monitor}: each line an acknowledgement, the alarm list, or one line saying why not. */
class MonitorInputTest {

    private final SimulatedClock clock = SimulatedClock.utc();
    private final MonitorWard two = MonitorWard.of(List.of("bench-01", "bench-02"), clock);

    private void raised(String pump, String alarmId) {
        String event = "{\"id\":\"" + alarmId + ".1\",\"alarmId\":\"" + alarmId + "\",\"seq\":1,\"pumpId\":\"" + pump
                + "\",\"type\":\"OCCLUSION\",\"priority\":\"high\",\"state\":\"raised\",\"message\":\"m\"}";
        two.message("openitb/" + pump + "/alarm", event.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void blankLinesAndTheAlarmListAskNothingOfAPump() {
        assertEquals(new MonitorInput.Nothing(), MonitorInput.parse("   ", two));
        assertEquals(new MonitorInput.Alarms(), MonitorInput.parse(" alarms ", two));
    }

    @Test
    void anAlarmIdTypedAsTheCaregiverReadItFindsItsPump() {
        raised("bench-02", "OCC-MK2A9Q1C");
        assertEquals(new MonitorInput.Ack("bench-02", "OCC-MK2A9Q1C"), MonitorInput.parse("ack OCC-MK2A9Q1C", two));
        // Lower case, or copied from one of the alarm's events: the same alarm, sent as the pump writes it.
        assertEquals(new MonitorInput.Ack("bench-02", "OCC-MK2A9Q1C"), MonitorInput.parse("ack occ-mk2a9q1c", two));
        assertEquals(new MonitorInput.Ack("bench-02", "OCC-MK2A9Q1C"), MonitorInput.parse("ack OCC-MK2A9Q1C.7", two));
        assertEquals(new MonitorInput.Ack("bench-01", "OCC-MK2A9Q1C"), MonitorInput.parse("ack bench-01 OCC-MK2A9Q1C", two), "named: that pump");
    }

    @Test
    void everyMistakeIsOneLineAndSendsNothing() {
        assertEquals(new MonitorInput.Refused("type 'ack ALARM_ID', 'ack PUMP_ID ALARM_ID' or 'alarms', not \"acknowledge OCC-1\""),
                MonitorInput.parse("acknowledge OCC-1", two));
        assertEquals(new MonitorInput.Refused("ack takes an alarm id, and the pump's before it when several are watched, like"
                + " 'ack OCC-MK2A9Q1C' or 'ack bench-01 OCC-MK2A9Q1C'"), MonitorInput.parse("ack", two));
        assertEquals(new MonitorInput.Refused("pump bench-09 is not watched here; watched: bench-01, bench-02"),
                MonitorInput.parse("ack bench-09 OCC-1", two));
        assertEquals(new MonitorInput.Refused("no pump watched here has alarm OCC-9 open; name the pump: ack PUMP_ID OCC-9"),
                MonitorInput.parse("ack OCC-9", two));
        MonitorInput bad = MonitorInput.parse("ack OCC;1", two);
        assertTrue(bad instanceof MonitorInput.Refused r && r.why().startsWith("alarm id must be 1 to"), bad.toString());
        String long70 = "x".repeat(70);
        MonitorInput quoted = MonitorInput.parse(long70, two);
        assertTrue(quoted instanceof MonitorInput.Refused r && r.why().endsWith("\"" + "x".repeat(60) + "...\""), quoted.toString());
    }

    @Test
    void theAcknowledgementCarriesTheIdAndWhoSentIt() {
        var sent = JsonParser.parseString(new String(new MonitorInput.Ack("bench-01", "OCC-1").payload("nurse ana"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals("OCC-1", sent.get("id").getAsString());
        assertEquals("nurse ana", sent.get("by").getAsString());
    }
}
