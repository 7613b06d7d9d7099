package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.clock.SystemClock;
import org.openitb.store.PumpStore;
import org.openitb.telemetry.Mosquitto;
import org.openitb.telemetry.MqttProbe;

/**
 * kill -9 the real daemon at random points, a hundred times, during basal dosing, boluses, refills
 * and alarm storms, and start it again on the same state directory, with a real Mosquitto taking
 * its telemetry. After every crash the write-ahead mark on disk covers every step seen emitted and
 * is at most one batch (plus what was stepped between our last look and the kill) ahead; the
 * restarted daemon counts from it, never back; the program runs again, and the journal has kept
 * everything in order. At the end the alarm events a monitor received are numbered without a gap
 * (a crash may repeat one, never lose one) and nothing is left in the outbox.
 * The random points come from a seed printed at the start; {@code -Dopenitb.seed=N} replays a run,
 * {@code -Dopenitb.kills=N} changes the count.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {

    /** Simulated seconds per real second: a kill every few simulated minutes. */
    private static final long SPEED = 600;
    private static final int KILLS = Integer.getInteger("openitb.kills", 100);
    /**
     * The write-ahead bound: store.max-crash-uncertainty (20 uL by default) in 71.853 nL microsteps, computed by hand:
     * the most steps a crash may count as delivered but not emitted.
     */
    private static final long BOUND = 278;
    /** A seed that once failed under load (the mark ran 24 steps ahead, more than the fixed batch of then): replayed in CI. */
    private static final long CI_SEED = 3210177112731L;
    /** 400 mcg/day of 500 mcg/mL in 71.853 nL microsteps, per simulated second. */
    private static final double BASAL_PER_S = 0.8e-3 / 71.853e-9 / 86_400;
    /** A 5 mcg bolus over 60 min on top, per simulated second (25 of them stay within the library's 24 h soft limit). */
    private static final double BOLUS_PER_S = 0.01e-3 / 71.853e-9 / 3_600;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomTheDaemonResumesItsProgramWithCountersConsistentToOneWindow() throws Exception {
        long seed = Long.getLong("openitb.seed", CI_SEED);
        System.out.println("CrashRecoveryIT seed " + seed + " (replay with -Dopenitb.seed=" + seed + ")");
        Random random = new Random(seed);
        // The simulated clock only runs while a daemon does, and how long each run lasts is up to the
        // random kills and the machine's speed: no lockout, so a bolus every fourth kill is never refused.
        Mosquitto broker = Mosquitto.open(Files.createDirectories(dir.resolve("broker")));
        DaemonProcess d = new DaemonProcess(Files.createDirectories(dir.resolve("pump")))
                .configure("library.bolus.lockout", "0s").configure("mqtt.url", broker.url());
        MqttProbe monitor = MqttProbe.subscribe(broker.url(), "openitb/bench-01/alarm");
        try {
            d.simulate(SPEED);
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            d.primeCatheter("0.2mL"); // as a clinician does; unprimed, the catheter's alarm and the estimate's fall would crowd the journal
            DaemonProcess.Run program = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(0, program.code(), program.err());
            long lastSeen = 0;
            int duringBolus = 0;
            int refills = 0;
            int storms = 0;
            List<String> report = new ArrayList<>();
            List<String> bolusMissed = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                boolean bolus = kill % 4 == 1;
                if (bolus) {
                    JsonObject answer = d.request(DaemonProcess.bolusRequest("5mcg", "60m"));
                    assertTrue(answer.get("ok").getAsBoolean(), "kill " + kill + ": the bolus was refused: " + answer);
                } else if (kill % 4 == 2) {
                    JsonObject answer = d.request(refillRequest());
                    assertTrue(answer.get("ok").getAsBoolean(), "kill " + kill + ": the refill was refused: " + answer);
                    refills++;
                } else if (kill % 4 == 3) {
                    alarmStorm(d, random);
                    storms++;
                }
                Thread.sleep(100 + random.nextInt(900));
                // The count is as of some moment after asking: the time to answer counts towards the slack too
                // (a CI run under load saw 5 microsteps more when it was counted from the answer).
                long seenAt = System.nanoTime();
                JsonObject before = d.status();
                d.kill();
                double killedAfterS = (System.nanoTime() - seenAt) / 1e9;
                long deliveredBefore = before.get("deliveredMicrosteps").getAsLong();
                boolean bolusRunning = !before.get("bolus").isJsonNull();
                if (bolusRunning) {
                    duringBolus++;
                } else if (bolus) {
                    // A bolus of an hour asked for a second of real time ago, and over: why is the story.
                    bolusMissed.add("kill " + kill + ": the bolus asked for was not running: " + before);
                }
                // What the crash left on disk: the write-ahead mark covers every step emitted, never more than the bound ahead.
                long slack = (long) Math.ceil((BASAL_PER_S + (bolusRunning ? BOLUS_PER_S : 0)) * SPEED * killedAfterS) + 1;
                long mark = writeAheadMark();
                assertTrue(mark >= deliveredBefore, "kill " + kill + ": the mark " + mark + " is behind a step emitted, " + deliveredBefore);
                assertTrue(mark - deliveredBefore <= BOUND + slack, "kill " + kill + ": the mark " + mark + " is more than the bound ("
                        + BOUND + ") ahead of " + deliveredBefore);

                d.simulate(SPEED);
                JsonObject after = d.status();
                long recovered = after.get("deliveredMicrosteps").getAsLong();
                report.add("kill " + kill + (bolusRunning ? " (bolus)" : "") + ": seen " + deliveredBefore + ", mark " + mark
                        + ", after restart " + recovered + " (slack " + slack + ")");
                // The restart starts from the mark; by the time we look it may have stepped on (never back).
                assertTrue(recovered >= mark, "kill " + kill + ": delivered went back: " + report);
                assertTrue(recovered >= lastSeen, "kill " + kill + ": delivered went back: " + report);
                assertEquals("continuous", after.get("mode").getAsString(), "kill " + kill + ": " + after);
                assertEquals(400, after.get("rateMcgPerDay").getAsInt());
                assertEquals(500, after.get("concentrationMcgPerMl").getAsInt());
                assertEquals("null", after.get("bolus").toString(), "a bolus cut off by a crash is not resumed");
                assertTrue(after.get("lastRestart").isJsonObject(), "the restart is shown: " + after);
                assertEquals("ok", after.get("storage").getAsString());
                // A storm's occlusion ends with the process (the plant is new); the pump delivers again.
                d.request(DaemonProcess.simRequest("reservoir-switch", "ok"));
                lastSeen = recovered;
            }
            System.out.println("CrashRecoveryIT: " + KILLS + " kills (" + duringBolus + " during a bolus, " + refills + " after a refill, "
                    + storms + " in an alarm storm); counters never went back nor jumped by more than a batch");
            System.out.println(String.join("\n", report));
            assertTrue(duringBolus >= KILLS / 4, "killed during a bolus " + duringBolus + " times: " + bolusMissed);

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (d.status().get("state").getAsString().equals("halted") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            // Delivery goes on: the next step comes within seconds of simulated time, but a starved host (two CPU hogs
            // and a build) may hold the simulation back, and its first step waits for the new mark's first commit.
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (d.status().get("deliveredMicrosteps").getAsLong() <= lastSeen && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(d.status().get("deliveredMicrosteps").getAsLong() > lastSeen, "delivery goes on after the last restart: " + d.status());
            assertJournalIntact(d.history(), refills);
            assertEquals(0, d.stop() % 143, "SIGTERM ends the daemon");
            assertNoAlarmLost(monitor);
        } finally {
            d.close();
            monitor.close();
            broker.close();
        }
    }

    private static JsonObject refillRequest() {
        JsonObject o = new JsonObject();
        o.addProperty("verb", "refill");
        o.addProperty("volume", "20mL");
        o.addProperty("concentration", "500mcg/mL");
        o.addProperty("commit", true);
        return o;
    }

    /** Alarms in quick succession: chattering inputs, a lying level switch, an occlusion that comes and goes, acknowledgements. */
    private static void alarmStorm(DaemonProcess d, Random random) throws Exception {
        d.request(DaemonProcess.simRequest("chatter", "occlusion"));
        d.request(DaemonProcess.simRequest("chatter", "reservoir"));
        d.request(DaemonProcess.simRequest("reservoir-switch", random.nextBoolean() ? "low" : "ok"));
        d.request(DaemonProcess.simRequest("occlusion", "on"));
        Thread.sleep(random.nextInt(200));
        d.request(DaemonProcess.simRequest("occlusion", "off"));
        for (var a : d.status().getAsJsonArray("activeAlarms")) {
            JsonObject ack = new JsonObject();
            ack.addProperty("verb", "ack");
            ack.addProperty("id", a.getAsJsonObject().get("id").getAsString());
            d.request(ack);
        }
    }

    /**
     * Every alarm event reached the monitor: their numbers run from 1 without a gap (a crash between
     * sending and hearing the broker's acknowledgement may repeat one), and the outbox is empty.
     */
    private void assertNoAlarmLost(MqttProbe monitor) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TreeSet<Long> seqs = new TreeSet<>();
        int received = 0;
        try (PumpStore store = PumpStore.open(dir.resolve("pump/state"), new SystemClock(ZoneOffset.UTC),
                new SystemClock(ZoneOffset.UTC))) {
            assertTrue(store.outbox(10).isEmpty(), "the outbox was sent in full: " + store.outbox(10));
        }
        while (System.nanoTime() < until) {
            seqs.clear();
            received = 0;
            for (var m : monitor.on("openitb/bench-01/alarm")) {
                seqs.add(m.json().get("seq").getAsLong());
                received++;
            }
            if (!seqs.isEmpty() && seqs.last() == seqs.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(seqs.size() > KILLS / 4, "alarm storms raised alarms: " + seqs.size());
        assertEquals(1L, seqs.first(), "numbered from 1");
        assertEquals(seqs.size(), seqs.last(), "no gap in the alarm numbers " + seqs.first() + ".." + seqs.last());
        System.out.println("CrashRecoveryIT: " + seqs.size() + " alarm events, all received (" + (received - seqs.size()) + " repeated after a crash)");
    }

    /** The delivery mark the crash left in the database, read as the next start will read it. */
    private long writeAheadMark() {
        return PumpStore.lastMark(dir.resolve("pump/state")).orElseThrow(() -> new AssertionError("no delivery mark after the crash")).microsteps();
    }

    /** Oldest first, sequence numbers rising, no restart stamped before the run it follows, one restart per kill, every bolus and refill journaled. */
    private static void assertJournalIntact(JsonArray journal, int refills) {
        long lastSeq = 0;
        Instant latest = Instant.EPOCH;
        List<String> types = new ArrayList<>();
        for (JsonElement e : journal) {
            JsonObject entry = e.getAsJsonObject();
            long seq = entry.get("seq").getAsLong();
            Instant at = Instant.parse(entry.get("at").getAsString());
            String type = entry.get("type").getAsString();
            assertTrue(seq > lastSeq, "sequence numbers rise: " + journal);
            if (type.equals("controller-restarted")) {
                // A restart's clock never starts before anything the killed run journaled.
                assertTrue(!at.isBefore(latest), "a restart at " + at + " before " + latest + ", journaled by the run it follows");
            } else {
                // Within a run the loops stamp their events on their own threads: the journal's order may
                // differ from the stamps' by the moments between stamping and handing over, never by minutes.
                assertTrue(!at.isBefore(latest.minus(Duration.ofMinutes(5))), "times never go back: " + latest + " then " + entry);
            }
            latest = at.isAfter(latest) ? at : latest;
            lastSeq = seq;
            types.add(type);
        }
        // A new pump is filled and primed before it is programmed: the first refill, the priming, then the program.
        assertEquals(List.of("refilled", "priming-started", "bolus-completed", "program-changed"), types.subList(0, 4), types.toString());
        JsonObject accepted = journal.get(3).getAsJsonObject().getAsJsonObject("program");
        assertEquals("400mcg/day", accepted.get("rate").getAsString(), "the program as accepted: " + journal.get(3));
        assertEquals("500mcg/mL", accepted.get("concentration").getAsString());
        assertEquals(KILLS, types.stream().filter("controller-restarted"::equals).count(), types.toString());
        assertEquals((KILLS + 3) / 4, types.stream().filter("bolus-started"::equals).count(), types.toString());
        assertEquals(1 + refills, types.stream().filter("refilled"::equals).count(), types.toString());
        journal.forEach(e -> {
            JsonObject entry = e.getAsJsonObject();
            if (entry.get("type").getAsString().equals("controller-restarted")) {
                JsonObject details = entry.getAsJsonObject("details");
                assertTrue(details.has("gapSeconds") && details.has("missedDose") && details.has("program"), entry.toString());
            }
        });
    }
}
