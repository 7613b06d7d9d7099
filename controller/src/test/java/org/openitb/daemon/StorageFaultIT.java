package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon with its memory going wrong: a database damaged while the pump was off, and a
 * state directory that stops taking writes while it runs (RLIMIT_FSIZE lowered on the live
 * process with prlimit, which fails every write that would grow a file, as a full disk does).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StorageFaultIT {

    @TempDir
    Path dir;

    @Test
    void aDamagedDatabaseIsSetAsideAndThePumpWaitsForAnOperatorToProgramIt() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir)) {
            d.simulate(600);
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
            Thread.sleep(1_000);
            assertTrue(d.status().get("deliveredMicrosteps").getAsLong() > 0);
            d.stop();

            Path db = dir.resolve("state/openitb.db");
            try (RandomAccessFile raf = new RandomAccessFile(db.toFile(), "rw")) {
                byte[] scribble = new byte[(int) Math.min(raf.length() - 100, 16_384)];
                Arrays.fill(scribble, (byte) 0x5A);
                raf.seek(100); // past the header: the schema page and what follows no longer make sense
                raf.write(scribble);
            }

            d.simulate(600);
            JsonObject status = d.status();
            assertEquals("idle", status.get("state").getAsString(), "no program: " + status);
            assertTrue(status.get("storage").getAsString().startsWith("the database could not be used at start"), status.toString());
            assertTrue(status.get("storage").getAsString().contains("refill, then program it with the dose the patient was on (--reference-dose) to deliver again"), status.toString());
            long still = status.get("deliveredMicrosteps").getAsLong();
            Thread.sleep(1_000);
            assertEquals(still, d.status().get("deliveredMicrosteps").getAsLong(), "the motor stays off");
            try (Stream<Path> files = Files.list(dir.resolve("state"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("openitb\\.db\\.unreadable-\\d{8}-\\d{6}")),
                        "the damaged file is kept for inspection");
            }
            List<String> journal = types(d);
            assertEquals(List.of("storage-alert", "alarm-raised", "alarm-raised"), journal,
                    "the new journal begins with the alert, its STORAGE_FAILURE alarm and the high THERAPY_STATE_LOST");
            String alarms = d.status().getAsJsonArray("activeAlarms").toString();
            assertTrue(alarms.contains("STORAGE_FAILURE") && alarms.contains("\"type\":\"THERAPY_STATE_LOST\",\"priority\":\"high\""), alarms);

            DaemonProcess.Run unfilled = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(2, unfilled.code(), "the syringe is not known: a refill first");
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.Run unverified = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(2, unverified.code(), "no titration reference: the clinician gives one");
            assertTrue(unverified.err().contains("give the daily dose the patient was on (--reference-dose RATE)"), unverified.err());
            DaemonProcess.Run again = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL",
                    "--reference-dose", "380mcg/day", "--yes");
            assertEquals(0, again.code(), again.err());
            // Within seconds of simulated time; a starved host may hold the simulation back, so poll rather than sleep once.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (d.status().get("deliveredMicrosteps").getAsLong() <= still && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(d.status().get("deliveredMicrosteps").getAsLong() > still, "delivering again once programmed");
            assertEquals("delivering", d.status().get("state").getAsString());
        }
    }

    @Test
    void aStateDirectoryThatStopsTakingWritesDoesNotStopDelivery() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir)) {
            d.simulate(60);
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
            Thread.sleep(1_000);
            assertEquals("ok", d.status().get("storage").getAsString());

            prlimit(d.pid(), "1:unlimited");
            JsonObject failing = await(d, s -> !s.get("storage").getAsString().equals("ok"));
            assertTrue(failing.get("storage").getAsString().contains("failed"), failing.toString());
            long before = failing.get("deliveredMicrosteps").getAsLong();
            Thread.sleep(2_000);
            long during = d.status().get("deliveredMicrosteps").getAsLong();
            assertTrue(during > before, "delivery goes on while the disk refuses writes: " + before + " -> " + during);
            assertTrue(d.request(DaemonProcess.bolusRequest("10mcg", "10m")).get("ok").getAsBoolean(), "commands are taken while storage fails");

            prlimit(d.pid(), "unlimited:unlimited");
            JsonObject recovered = await(d, s -> s.get("storage").getAsString().equals("ok"));
            assertEquals("delivering", recovered.get("state").getAsString());
            List<String> journal = types(d);
            assertTrue(journal.containsAll(List.of("program-changed", "bolus-started", "storage-recovered")),
                    "what happened while failing was kept and written: " + journal);

            // And what was written after recovery holds across a crash.
            long seen = d.status().get("deliveredMicrosteps").getAsLong();
            d.kill();
            d.simulate(60);
            JsonObject after = d.status();
            assertTrue(after.get("deliveredMicrosteps").getAsLong() >= seen, after.toString());
            assertEquals("continuous", after.get("mode").getAsString());
        }
    }

    private static JsonObject await(DaemonProcess d, Predicate<JsonObject> condition) throws Exception {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonObject status = d.status();
        while (!condition.test(status)) {
            assertTrue(System.nanoTime() < limit, "status did not change within 20 s: " + status);
            Thread.sleep(100);
            status = d.status();
        }
        return status;
    }

    private static void prlimit(long pid, String fsize) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + fsize).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "prlimit (util-linux) failed: " + out);
    }

    private static List<String> types(DaemonProcess d) throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonElement e : d.history()) {
            types.add(e.getAsJsonObject().get("type").getAsString());
        }
        return types;
    }
}
