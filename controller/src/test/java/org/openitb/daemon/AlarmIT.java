package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An occlusion on the real daemon at 3600x, watched through the client verbs: OCCLUSION high with
 * its withdrawal risk in {@code alarms --json} within a simulated minute, the risk high or worse
 * five simulated hours on, acknowledged with {@code ack}, and delivery after the occlusion at the
 * programmed rate with nothing made up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlarmIT {

    /** 800 mcg/day of 500 mcg/mL in 71.853 nL microsteps, per simulated second. */
    private static final double PER_S = 1.6e-3 / 71.853e-9 / 86_400;

    @TempDir
    Path dir;

    private static JsonArray alarms(DaemonProcess d) throws Exception {
        DaemonProcess.Run r = d.openitb("alarms", "--json");
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonArray();
    }

    private static Optional<JsonObject> occlusion(JsonArray alarms) {
        for (JsonElement e : alarms) {
            if (e.getAsJsonObject().get("type").getAsString().equals("OCCLUSION")) {
                return Optional.of(e.getAsJsonObject());
            }
        }
        return Optional.empty();
    }

    @Test
    void anOcclusionIsAHighAlarmWithItsRiskWithinASimulatedMinuteAndItsEndBringsNoBacklog() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(3_600)) {
            try {
                watch(d);
            } catch (AssertionError | Exception e) {
                String log = d.log();
                throw new AssertionError(e.getMessage() + "\n--- daemon log, last lines:\n" + log.substring(Math.max(0, log.length() - 4_000)), e);
            }
        }
    }

    private void watch(DaemonProcess d) throws Exception {
        {
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "800mcg/day", "--concentration", "500mcg/mL", "--yes"));
            Thread.sleep(500);
            JsonObject occluded = d.request(DaemonProcess.simRequest("occlusion", "on"));
            assertTrue(occluded.get("ok").getAsBoolean());
            Instant before = Instant.parse(occluded.get("at").getAsString()); // when the catheter closed, on the pump's clock

            JsonObject alarm = null;
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (alarm == null && System.nanoTime() < limit) {
                alarm = occlusion(alarms(d)).orElse(null);
            }
            assertTrue(alarm != null, "no OCCLUSION alarm");
            assertEquals("high", alarm.get("priority").getAsString());
            assertEquals("raised", alarm.get("state").getAsString());
            assertTrue(alarm.get("withdrawalRisk").getAsBoolean());
            assertTrue(alarm.getAsJsonObject("risk").has("level") && alarm.getAsJsonObject("risk").has("etaNextLevelMinutes"), alarm.toString());
            assertEquals("bench-01", alarm.get("pumpId").getAsString());
            Duration toAlarm = Duration.between(before, Instant.parse(alarm.get("raisedAt").getAsString()));
            // Three microsteps against the blocked line trip the switch (3.9 s apart at 800 mcg/day), then debounce and the supervisor.
            System.out.println("AlarmIT: OCCLUSION raised " + toAlarm + " (simulated) after the catheter closed");
            assertTrue(toAlarm.compareTo(Duration.ofMinutes(1)) <= 0, "raised " + toAlarm + " (simulated) after the occlusion");

            // Five hours on the pump's clock (5 s of real time on a quiet host; a busy one slows the simulation).
            JsonObject fiveHours = d.statusAfter(before, Duration.ofHours(5), Duration.ofSeconds(60));
            JsonObject risk = fiveHours.getAsJsonObject("withdrawalRisk");
            assertTrue(risk.get("level").getAsString().matches("high|critical"), "five hours occluded: " + risk);
            assertTrue(d.status().getAsJsonArray("activeAlarms").toString().contains("OCCLUSION"));

            assertTrue(d.request(DaemonProcess.simRequest("occlusion", "off")).get("ok").getAsBoolean());
            // The pressure bleeds off and the switch releases within a few of the pump's minutes.
            JsonObject first = d.status();
            for (long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    !first.get("state").getAsString().equals("delivering") && System.nanoTime() - giveUp < 0; ) {
                Thread.sleep(100);
                first = d.status();
            }
            assertEquals("delivering", first.get("state").getAsString(), first.toString());
            Thread.sleep(2_000);
            JsonObject second = d.status();
            double seconds = Duration.between(Instant.parse(first.get("at").getAsString()), Instant.parse(second.get("at").getAsString()))
                    .toNanos() / 1e9;
            long delivered = second.get("deliveredMicrosteps").getAsLong() - first.get("deliveredMicrosteps").getAsLong();
            assertEquals(PER_S * seconds, delivered, 2.0, "the programmed rate after the occlusion, none of the five hours made up");

            String id = occlusion(alarms(d)).orElseThrow().get("id").getAsString();
            DaemonProcess.Run ack = d.openitb("ack", id);
            assertEquals(0, ack.code(), ack.err());
            assertTrue(ack.out().contains("cleared"), "acknowledged after its condition went: " + ack.out());
            assertTrue(occlusion(alarms(d)).isEmpty());
            DaemonProcess.Run unknown = d.openitb("ack", id);
            assertEquals(2, unknown.code());
            assertTrue(unknown.err().startsWith("openitb: no open alarm " + id), unknown.err());
            DaemonProcess.Run junk = d.openitb("ack", "OCC;rm -rf");
            assertEquals(2, junk.code());
            assertTrue(junk.err().startsWith("openitb: alarm id must be"), junk.err());

            DaemonProcess.Run text = d.openitb("alarms");
            assertEquals(0, text.code(), text.err());
            assertTrue(text.out().contains("withdrawal risk:") && text.out().contains("estimate"), text.out());
        }
    }
}
