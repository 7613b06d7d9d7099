package org.openitb.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What goes on the wire besides alarms: state snapshots, the 24 h window, Home Assistant discovery. */
class TelemetryPayloadsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    private static JsonObject status(Instant at, String delivered, String alarms) {
        return JsonParser.parseString("{\"pumpId\":\"bench-01\",\"at\":\"" + at + "\",\"mode\":\"continuous\",\"deliveredMcgTotal\":" + delivered
                + ",\"hoursToEmpty\":null,\"activeAlarms\":" + alarms + ",\"withdrawalRisk\":{\"level\":\"none\",\"etaNextLevelMinutes\":36}}")
                .getAsJsonObject();
    }

    @Test
    void aStepAloneIsNoChangeButAnAlarmIsAndTheProblemsFollowTheAlarms() {
        StateSnapshots s = new StateSnapshots(Duration.ofSeconds(60));
        StateSnapshots.Snapshot a = s.of(status(T0, "1", "[]"));
        StateSnapshots.Snapshot b = s.of(status(T0.plusSeconds(8), "1.036", "[]"));
        assertEquals(a.fingerprint(), b.fingerprint(), "delivery moving on is not a change to publish at once");
        StateSnapshots.Snapshot c = s.of(status(T0.plusSeconds(9), "1.036", "[{\"id\":\"OCC-1\",\"type\":\"OCCLUSION\",\"priority\":\"high\",\"state\":\"raised\"}]"));
        assertNotEquals(b.fingerprint(), c.fingerprint());
        JsonObject payload = JsonParser.parseString(c.payload()).getAsJsonObject();
        assertTrue(payload.getAsJsonObject("problems").get("occlusion").getAsBoolean());
        assertTrue(payload.getAsJsonObject("problems").get("highAlarm").getAsBoolean());
        assertTrue(payload.has("hoursToEmpty") && payload.get("hoursToEmpty").isJsonNull(), "null fields stay in the contract's shape");
        assertEquals(60, payload.get("stateEverySeconds").getAsLong());
    }

    @Test
    void theDayWindowCountsWhatWasDeliveredInTheLast24Hours() {
        DeliveredWindow w = new DeliveredWindow();
        BigDecimal perHour = new BigDecimal("16.666");
        DeliveredWindow.Reading r = null;
        for (int minute = 0; minute <= 48 * 60; minute++) {
            r = w.add(T0.plusSeconds(minute * 60L), perHour.multiply(BigDecimal.valueOf(minute)).divide(BigDecimal.valueOf(60), 6, RoundingMode.DOWN));
        }
        assertEquals(24.0, r.hours(), 0.01);
        // The base sample is at most one spacing older than 24 h: 24 h of delivery, give or take 10 min of it.
        assertEquals(perHour.doubleValue() * 24, r.mcg().doubleValue(), perHour.doubleValue() / 6 + 0.01);
        DeliveredWindow.Reading afterReset = w.add(T0.plusSeconds(49 * 3600), BigDecimal.ZERO);
        assertEquals(0, afterReset.mcg().signum(), "a counter that went back starts a new window");
    }

    @Test
    void discoveryDescribesSevenEntitiesOnTheStateTopicWithAvailability() {
        List<HomeAssistant.Message> all = HomeAssistant.discovery("homeassistant", new Topics("bench-01"));
        assertEquals(7, all.size());
        for (HomeAssistant.Message m : all) {
            JsonObject o = JsonParser.parseString(m.payload()).getAsJsonObject();
            assertEquals("openitb/bench-01/state", o.get("state_topic").getAsString(), m.topic());
            assertEquals("openitb/bench-01/status", o.get("availability_topic").getAsString());
            assertTrue(m.topic().startsWith("homeassistant/sensor/openitb_bench_01/") || m.topic().startsWith("homeassistant/binary_sensor/openitb_bench_01/"));
            if (m.topic().contains("binary_sensor")) {
                assertEquals("problem", o.get("device_class").getAsString());
            }
            // default_entity_id is domain.object (object_id stopped working in Home Assistant 2026.4), with the origin and version.
            String domain = m.topic().split("/")[1];
            String object = m.topic().split("/")[3];
            assertEquals(domain + ".openitb_bench_01_" + object, o.get("default_entity_id").getAsString(), m.topic());
            assertFalse(o.has("object_id"), m.topic());
            assertEquals("OpenITB", o.getAsJsonObject("origin").get("name").getAsString());
            assertTrue(o.getAsJsonObject("origin").has("sw_version") && o.getAsJsonObject("device").has("sw_version"));
        }
        JsonObject delivered = JsonParser.parseString(all.get(2).payload()).getAsJsonObject();
        assertEquals("openitb/bench-01/state", delivered.get("json_attributes_topic").getAsString());
        assertTrue(delivered.get("json_attributes_template").getAsString().contains("value_json.deliveredWindowHours"),
                "the span of the 24 h window goes beside its value");
        JsonObject risk = JsonParser.parseString(all.get(3).payload()).getAsJsonObject();
        assertEquals("enum", risk.get("device_class").getAsString());
        assertEquals(4, risk.getAsJsonArray("options").size());
    }
}
