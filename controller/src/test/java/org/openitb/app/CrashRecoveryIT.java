package org.openitb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.store.PumpStore;

/**
 * kill -9 the real daemon at random points, during basal dosing and during boluses, and start it
 * again on the same state directory, many times over. After every crash the write-ahead mark on
 * disk covers every step seen emitted and is at most one window (plus what was stepped between our
 * last look and the kill) ahead; the restarted daemon counts from it, never back; the program runs
 * again, and the journal has kept everything in order.
 * The random points come from a seed printed at the start; {@code -Dopenitb.seed=N} replays a run.
 */
@Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
class CrashRecoveryIT {

    /** Simulated seconds per real second: a kill every few simulated minutes. */
    private static final long SPEED = 600;
    private static final int KILLS = 24;
    /** The write-ahead window (WriteAheadMark.WINDOW): the most steps a crash may count as delivered but not emitted. */
    private static final long WINDOW = 64;
    /** 400 mcg/day of 500 mcg/mL in 71.853 nL microsteps, per simulated second. */
    private static final double BASAL_PER_S = 0.8e-3 / 71.853e-9 / 86_400;
    /** A 20 mcg bolus over 60 min on top, per simulated second. */
    private static final double BOLUS_PER_S = 0.04e-3 / 71.853e-9 / 3_600;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomTheDaemonResumesItsProgramWithCountersConsistentToOneWindow() throws Exception {
        long seed = Long.getLong("openitb.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed " + seed + " (replay with -Dopenitb.seed=" + seed + ")");
        Random random = new Random(seed);
        // The simulated clock only runs while a daemon does, and how long each run lasts is up to the
        // random kills and the machine's speed: no lockout, so a bolus every fourth kill is never refused.
        DaemonProcess d = new DaemonProcess(dir).configure("library.bolus.lockout", "0s");
        try {
            d.simulate(SPEED);
            DaemonProcess.Run program = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(0, program.code(), program.err());
            long lastSeen = 0;
            int duringBolus = 0;
            List<String> report = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                boolean bolus = kill % 4 == 1;
                if (bolus) {
                    JsonObject answer = d.request(DaemonProcess.bolusRequest("20mcg", "60m"));
                    assertTrue(answer.get("ok").getAsBoolean(), "kill " + kill + ": the bolus was refused: " + answer);
                }
                Thread.sleep(200 + random.nextInt(1_500));
                JsonObject before = d.status();
                long seenAt = System.nanoTime();
                d.kill();
                double killedAfterS = (System.nanoTime() - seenAt) / 1e9;
                long deliveredBefore = before.get("deliveredMicrosteps").getAsLong();
                boolean bolusRunning = !before.get("bolus").isJsonNull();
                if (bolusRunning) {
                    duringBolus++;
                }
                assertEquals(bolus, bolusRunning, "kill " + kill + ": a bolus was " + (bolus ? "" : "not ") + "meant to run: " + before);
                // What the crash left on disk: the write-ahead mark covers every step emitted, by at most one window.
                long slack = (long) Math.ceil((BASAL_PER_S + (bolusRunning ? BOLUS_PER_S : 0)) * SPEED * killedAfterS) + 1;
                long mark = writeAheadMark();
                // One batch: 64 microsteps, or what the program delivers in 60 s if that is fewer (and it is, here).
                double perS = BASAL_PER_S + (bolusRunning ? BOLUS_PER_S : 0);
                long batch = Math.min(WINDOW, (long) Math.ceil(perS * 60) + 1);
                assertTrue(mark >= deliveredBefore, "kill " + kill + ": the mark " + mark + " is behind a step emitted, " + deliveredBefore);
                assertTrue(mark - deliveredBefore <= batch + slack, "kill " + kill + ": the mark " + mark + " is more than a batch ("
                        + batch + ") ahead of " + deliveredBefore);

                d.simulate(SPEED);
                JsonObject after = d.status();
                long recovered = after.get("deliveredMicrosteps").getAsLong();
                report.add("kill " + kill + (bolusRunning ? " (bolus)" : "") + ": seen " + deliveredBefore + ", mark " + mark
                        + ", after restart " + recovered + " (slack " + slack + ")");
                // The restart starts from the mark; by the time we look it may have stepped on (never back).
                assertTrue(recovered >= mark, "kill " + kill + ": delivered went back: " + report);
                assertTrue(recovered >= lastSeen, "kill " + kill + ": delivered went back: " + report);
                assertTrue(after.getAsJsonObject("lastRestart") != null, "kill " + kill);
                assertEquals("continuous", after.get("mode").getAsString(), "kill " + kill + ": " + after);
                assertEquals("delivering", after.get("state").getAsString(), "kill " + kill + ": " + after);
                assertEquals(400, after.get("rateMcgPerDay").getAsInt());
                assertEquals(500, after.get("concentrationMcgPerMl").getAsInt());
                assertEquals("null", after.get("bolus").toString(), "a bolus cut off by a crash is not resumed");
                assertTrue(after.get("lastRestart").isJsonObject(), "the restart is shown: " + after);
                assertEquals("ok", after.get("storage").getAsString());
                lastSeen = recovered;
            }
            System.out.println(String.join("\n", report));
            assertTrue(duringBolus >= KILLS / 4, "killed during a bolus " + duringBolus + " times");

            Thread.sleep(1_000);
            assertTrue(d.status().get("deliveredMicrosteps").getAsLong() > lastSeen, "delivery goes on after the last restart");
            assertJournalIntact(d.history());
            assertEquals(0, d.stop() % 143, "SIGTERM ends the daemon");
        } finally {
            d.close();
        }
    }

    /** The delivery mark the crash left in the database, read as the next start will read it. */
    private long writeAheadMark() {
        return PumpStore.lastMark(dir.resolve("state")).orElseThrow(() -> new AssertionError("no delivery mark after the crash")).microsteps();
    }

    /** Oldest first, sequence numbers rising, times never going back, one restart per kill, every bolus journaled. */
    private static void assertJournalIntact(JsonArray journal) {
        long lastSeq = 0;
        String lastAt = "";
        List<String> types = new ArrayList<>();
        for (JsonElement e : journal) {
            JsonObject entry = e.getAsJsonObject();
            long seq = entry.get("seq").getAsLong();
            String at = entry.get("at").getAsString();
            assertTrue(seq > lastSeq, "sequence numbers rise: " + journal);
            assertTrue(java.time.Instant.parse(at).compareTo(lastAt.isEmpty() ? java.time.Instant.MIN : java.time.Instant.parse(lastAt)) >= 0,
                    "times never go back: " + lastAt + " then " + at);
            lastSeq = seq;
            lastAt = at;
            types.add(entry.get("type").getAsString());
        }
        assertEquals("program-changed", types.get(0));
        JsonObject accepted = journal.get(0).getAsJsonObject().getAsJsonObject("program");
        assertEquals("400mcg/day", accepted.get("rate").getAsString(), "the program as accepted: " + journal.get(0));
        assertEquals("500mcg/mL", accepted.get("concentration").getAsString());
        assertEquals(KILLS, types.stream().filter("controller-restarted"::equals).count(), types.toString());
        assertEquals(KILLS / 4, types.stream().filter("bolus-started"::equals).count(), types.toString());
        journal.forEach(e -> {
            JsonObject entry = e.getAsJsonObject();
            if (entry.get("type").getAsString().equals("controller-restarted")) {
                JsonObject details = entry.getAsJsonObject("details");
                assertTrue(details.has("gapSeconds") && details.has("missedDose") && details.has("program"), entry.toString());
            }
        });
    }
}
