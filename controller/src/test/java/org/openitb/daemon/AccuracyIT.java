package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;

/**
 * The gravimetric test end to end on the real daemon process: the simulated bench's balance weighs
 * what left the catheter and answers MT-SICS on a pseudo-terminal, the daemon's serial driver reads
 * it through socat, and the record, the journal and the page are what a bench user gets. The plant's
 * error is set by hand, so the figure the test must find is known without the pump's model.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AccuracyIT {

    @TempDir
    Path dir;

    private static void program(DaemonProcess d) throws Exception {
        DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
        d.primeCatheter("0.2mL");
        DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
    }

    private static JsonObject sim(DaemonProcess d, String what, String value) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("verb", "sim");
        o.addProperty("what", what);
        o.addProperty("value", value);
        JsonObject answer = d.request(o);
        assertTrue(answer.get("ok").getAsBoolean(), answer.toString());
        return answer;
    }

    private static JsonObject test(DaemonProcess d) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("verb", "accuracy");
        o.addProperty("action", "status");
        JsonObject answer = d.request(o);
        assertTrue(answer.get("ok").getAsBoolean(), answer.toString());
        return answer.getAsJsonObject("test");
    }

    /** Waits (real time, bounded) until the test says {@code until}. */
    private static JsonObject awaitTest(DaemonProcess d, Predicate<JsonObject> until, String what) throws Exception {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonObject t = test(d);
        while (t == null || !until.test(t)) {
            if (System.nanoTime() - limit > 0) {
                throw new AssertionError("the test never " + what + ": " + t);
            }
            Thread.sleep(20);
            t = test(d);
        }
        return t;
    }

    private static Set<String> journaled(DaemonProcess d) throws Exception {
        return StreamSupport.stream(d.history().spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(e -> e.get("type").getAsString() + (e.has("status") ? ":" + e.get("status").getAsString() : "")).collect(Collectors.toSet());
    }

    private static List<Recorded> record(JsonObject t) throws Exception {
        return ReadingsCsv.parse(Files.readAllLines(Path.of(t.get("record").getAsString()), StandardCharsets.UTF_8));
    }

    @Test
    void aPlantTwoPercentShortIsFoundAtAnItbRateThroughTheSerialLine() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            program(d);
            sim(d, "plant-error", "-2%");
            DaemonProcess.Run started = DaemonProcess.assertOk(d.openitb("accuracy", "start", "--name", "itb-400", "--length", "2h",
                    "--windows", "15m,30m"));
            assertTrue(started.out().contains("rate 33.333 uL/h (low-rate scheme)"), started.out());

            JsonObject t = awaitTest(d, x -> x.get("state").getAsString().equals("ended"), "ended");
            assertEquals("finished", t.get("ended").getAsString(), t.toString());
            // 400 mcg/day of 500 mcg/mL is 33.333 uL/h; the plant pushes 2 % less than the pump's calibration says.
            double overall = t.getAsJsonObject("overall").get("percent").getAsDouble();
            assertEquals(-2.0, overall, 0.4, "one microstep is 0.2 % of the hour analysed: " + t);
            List<Recorded> reads = record(t);
            assertTrue(reads.size() >= 200 && reads.size() <= 241, "a read every 30 s for 2 h, a few lost to a busy machine: " + reads.size());
            assertEquals(0, Recorded.faults(reads), "nothing went wrong on the line");
            String page = Files.readString(Path.of(t.get("report").getAsString()));
            assertTrue(page.contains("data:image/png;base64,"), "the page carries its plots");
            BufferedImage trumpet = ImageIO.read(dir.resolve("state/accuracy/itb-400-trumpet.png").toFile());
            assertTrue(trumpet != null && trumpet.getWidth() > 100, "the trumpet curve beside it is a picture");
            assertTrue(journaled(d).containsAll(Set.of("accuracy-started", "accuracy-ended")), journaled(d).toString());

            DaemonProcess.Run status = DaemonProcess.assertOk(d.openitb("accuracy", "status"));
            assertTrue(status.out().contains("test itb-400: finished"), status.out());
            assertTrue(status.out().contains("overall error -"), status.out());
        }
    }

    @Test
    void theHighestRateTheLibraryAllowsIsTestedOnTheStandardsOwnScheme() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            // 1500 mcg/day of 50 mcg/mL: 30 mL a day, 1.25 mL/h, the most a program may push (a priming pushes 1 mL at most).
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "50mcg/mL", "--yes"));
            d.primeCatheter("0.2mL");
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "1500mcg/day", "--concentration", "50mcg/mL", "--yes",
                    "--override-soft-limit"));
            DaemonProcess.Run started = DaemonProcess.assertOk(d.openitb("accuracy", "start", "--name", "high"));
            assertTrue(started.out().contains("rate 1250.000 uL/h (standard scheme)"), started.out());
            assertTrue(started.out().contains("analysis 1h-2h at delta t 30s, windows 2m,5m,11m,19m,31m"), started.out());

            JsonObject t = awaitTest(d, x -> x.get("state").getAsString().equals("ended"), "ended");
            // 1.25 mL/h is 17 400 microsteps an hour: one is 0.006 % of the hour, the balance's 0.01 mg 0.001 %.
            assertEquals(0.0, t.getAsJsonObject("overall").get("percent").getAsDouble(), 0.1, t.toString());
            assertTrue(Files.exists(Path.of(t.get("report").getAsString())), t.toString());
        }
    }

    @Test
    void whatHappensToDeliveryDuringATestIsSaidAndATestStoppedEarlyStillGetsItsPage() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            program(d);
            DaemonProcess.Run zero = d.openitb("accuracy", "start", "--delta-t", "0s");
            assertEquals(2, zero.code(), zero.err());
            assertTrue(zero.err().strip().startsWith("openitb: delta t must be a whole number of read intervals (30s), not 0s"), zero.err());

            DaemonProcess.assertOk(d.openitb("accuracy", "start", "--name", "changed", "--length", "4h", "--windows", "15m"));
            awaitTest(d, x -> x.get("reads").getAsInt() >= 10, "read 10 times");
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "360mcg/day", "--concentration", "500mcg/mL", "--yes"));
            // 360 mcg/day of 500 mcg/mL is 0.72 mL a day: 30 uL/h.
            JsonObject running = awaitTest(d, x -> x.has("note") && x.get("note").getAsString().contains("the rate changed to 30.000 uL/h"),
                    "noted the new rate");
            assertEquals("running", running.get("state").getAsString());

            DaemonProcess.Run stopped = DaemonProcess.assertOk(d.openitb("accuracy", "stop"));
            assertTrue(stopped.out().contains("stopped by"), stopped.out());
            JsonObject t = test(d);
            String page = Files.readString(Path.of(t.get("report").getAsString()));
            assertTrue(page.contains("the rate changed to 30.000 uL/h"), "the page says it first");
            assertTrue(page.contains("No window was measured"), "stopped before its analysis period (2h to 4h)");
            assertFalse(Files.exists(dir.resolve("state/accuracy/changed-trumpet.png")), "no trumpet without a window");
            assertEquals("delivering", d.status().get("state").getAsString(), "the pump never stopped for the test");
        }
    }

    @Test
    void aBalanceThatTalksGarbageFallsSilentOrOverloadsIsInTheRecordAndATestResumesAfterACrash() throws Exception {
        JsonObject t;
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            program(d);
            DaemonProcess.assertOk(d.openitb("accuracy", "start", "--name", "faults", "--length", "2h", "--windows", "15m,30m"));
            awaitTest(d, x -> x.get("reads").getAsInt() >= 10, "read 10 times");
            for (String fault : List.of("garbage", "silent", "overload")) {
                int before = test(d).get("faults").getAsInt();
                sim(d, "balance", fault);
                awaitTest(d, x -> x.get("faults").getAsInt() > before, "recorded " + fault);
                sim(d, "balance", "ok");
                awaitTest(d, x -> x.get("lastStatus").getAsString().equals("STABLE"), "weighed again after " + fault);
            }
            t = test(d);
            DaemonProcess.Run refused = d.openitb("accuracy", "start", "--name", "second");
            assertEquals(2, refused.code(), refused.out());
            assertTrue(refused.err().contains("test faults is running: stop it first"), refused.err());
            d.kill(); // mid-test, as a power cut leaves it
        }
        int beforeCrash = record(t).size();
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            JsonObject resumed = awaitTest(d, x -> x.get("state").getAsString().equals("ended"), "ended after the restart");
            assertEquals("finished", resumed.get("ended").getAsString(), resumed.toString());
            List<Recorded> reads = record(resumed);
            assertTrue(reads.size() > beforeCrash, "it read on after the restart: " + beforeCrash + " then " + reads.size());
            for (int i = 1; i < reads.size(); i++) {
                assertTrue(reads.get(i).elapsedNanos() > reads.get(i - 1).elapsedNanos(), "one timeline across the restart, at " + i);
            }
            Set<String> statuses = reads.stream().map(r -> r.reading().status().name()).collect(Collectors.toSet());
            assertTrue(statuses.containsAll(Set.of("GARBAGE", "SILENT", "OVERLOAD", "STABLE")), statuses.toString());
            Set<String> journal = journaled(d);
            assertTrue(journal.containsAll(Set.of("accuracy-fault:GARBAGE", "accuracy-fault:SILENT", "accuracy-fault:OVERLOAD", "accuracy-resumed",
                    "accuracy-ended")), journal.toString());
            assertFalse(resumed.get("faults").getAsInt() == 0);
            String note = resumed.get("note").getAsString();
            assertTrue(note.contains("the daemon was down"), note);
            assertFalse(note.contains("the vessel lost"), "the vessel kept what it held while the daemon was down: " + note);
            assertTrue(Files.exists(Path.of(resumed.get("report").getAsString())), resumed.toString());
        }
    }
}
