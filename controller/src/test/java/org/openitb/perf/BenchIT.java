package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.telemetry.Mosquitto;
import org.openitb.daemon.DaemonProcess;

/**
 * {@code bench} as the README runs it: the packaged jar with the unit's JVM options, against a
 * real Mosquitto, shortest duration. It checks that every field of the contract is there and
 * plausible; the numbers themselves are the README's business, not a timed test's.
 */
class BenchIT {

    @TempDir
    Path dir;

    @Test
    void benchPrintsEveryFieldOfTheContractWithAlarmLatencyThroughARealBroker() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir)) {
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", DaemonProcess.jar().toString(),
                    "bench", "--duration", "5s", "--json", "--broker", "tcp://127.0.0.1:" + broker.port()))
                    .redirectError(dir.resolve("bench.err").toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bench did not finish");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("bench.err")));
            JsonObject o = JsonParser.parseString(out.strip()).getAsJsonObject();
            for (String who : List.of("ours", "baseline")) {
                JsonObject l = o.getAsJsonObject("lateness500Hz").getAsJsonObject(who);
                long p50 = l.get("p50Us").getAsLong();
                long p99 = l.get("p99Us").getAsLong();
                long p999 = l.get("p999Us").getAsLong();
                long max = l.get("maxUs").getAsLong();
                assertTrue(0 <= p50 && p50 <= p99 && p99 <= p999 && p999 <= max, who + ": " + l);
                // Ours catches a host's stall up; the sleeping baseline loses those steps by design (that is what it
                // is there to show), so on a loaded host it only has to have run.
                assertTrue(l.get("steps").getAsLong() >= (who.equals("ours") ? 2_000 : 1), who + " stepped far less than 500 Hz for 5 s: " + l);
            }
            for (String rate : List.of("100Hz", "1000Hz")) {
                JsonObject r = o.getAsJsonObject("rateError").getAsJsonObject(rate);
                // Absolute deadlines never run ahead of the plan. Behind is possible on a loaded host (beside
                // two CPU hogs 1 kHz ended 9 steps short of 2 500); how far is the bench's printed figure, issue 19's.
                assertTrue(r.get("oursMicrosteps").getAsLong() <= 1, rate + ": " + r);
                // Relative sleeping only ever oversleeps: the baseline is slow.
                assertTrue(r.get("baselinePct").getAsDouble() < 0, rate + ": " + r);
            }
            JsonObject cpu = o.getAsJsonObject("cpuPctMaintenance");
            assertTrue(cpu.get("ours").getAsDouble() < cpu.get("baseline").getAsDouble(), cpu.toString());
            assertTrue(o.get("heapUsedMb").getAsDouble() > 0 && o.get("heapUsedMb").getAsDouble() < 32, o.toString());
            assertTrue(o.get("rssMb").getAsDouble() > 0, o.toString());
            JsonObject alarm = o.getAsJsonObject("alarmLatencyMs");
            assertEquals(200, alarm.get("cycles").getAsInt());
            assertTrue(alarm.get("p50").getAsDouble() > 0 && alarm.get("p50").getAsDouble() <= alarm.get("p99").getAsDouble(), alarm.toString());
            assertEquals("tcp://127.0.0.1:" + broker.port(), o.getAsJsonObject("load").get("broker").getAsString());
        }
    }
}
