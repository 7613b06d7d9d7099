package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.demo.Demo;
import org.openitb.store.PumpStore;

/**
 * The contract end to end against the real daemon process: simulate it fast, program it with
 * the client verbs, read status twice hours apart, and the exit codes of every kind of answer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DaemonIT {

    @TempDir
    Path dir;

    private static JsonObject status(DaemonProcess d) throws Exception {
        DaemonProcess.Run r = d.openitb("status", "--json");
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test
    void aSecondDaemonOnTheSameStateRefusesBeforeTouchingTheFirstOnesMemory() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir).simulate(60)) {
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.assertOk(d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"));
            long before = d.status().get("deliveredMicrosteps").getAsLong();
            // Started by mistake beside the one that doses, on the same config: the same database and pins.
            Path out = dir.resolve("second.out");
            Process second = new ProcessBuilder(DaemonProcess.java(), "-jar", DaemonProcess.jar().toString(), "simulate", "--config",
                    d.config.toString(), "--speed", "60").redirectOutput(out.toFile()).redirectErrorStream(true).start();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second daemon gives up at once");
            String said = Files.readString(out);
            assertEquals(1, second.exitValue(), said);
            assertTrue(said.contains("another daemon (pid " + d.pid() + ") is running on " + dir.resolve("state")), said);
            for (var e : d.history()) {
                // The first daemon never restarted: a restart journaled now would be the second copy's, and false.
                assertFalse(e.getAsJsonObject().get("type").getAsString().equals("controller-restarted"), e.toString());
            }
            JsonObject after = d.status();
            assertEquals("delivering", after.get("state").getAsString(), after.toString());
            assertTrue(after.get("deliveredMicrosteps").getAsLong() > before, "the first one doses on: " + after);
        }
    }

    @Test
    void programmedDeliveryStaysWithinOneMicrostepOfTheIdealHoursApart() throws Exception {
        // 600x, not faster: a dose loop held past the motor watchdog's floor of half a real second
        // (a slow fsync of the write-ahead mark on a shared machine, most likely) is a motor fault,
        // and the halted time is rightly not made up. The faster the simulation, the more pump time
        // a stall costs: at 3600x one CI run lost 273 microsteps, which fits one stall of about 0.6 s.
        try (DaemonProcess d = new DaemonProcess(dir).simulate(600)) {
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.Run program = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(0, program.code(), program.err());
            assertTrue(program.out().contains("* mode continuous") || program.out().contains("mode continuous"), program.out());
            assertTrue(program.out().contains("program running: continuous, daily dose 400mcg/day at 500mcg/mL"), program.out());

            JsonObject first = status(d);
            // 125 simulated minutes on the daemon's own clock: 12.5 s of real time at 600x on a quiet
            // host, longer on a busy one, whose late loops simulated time waits for.
            JsonObject second = d.statusAfter(Instant.parse(first.get("at").getAsString()), Duration.ofMinutes(125), Duration.ofSeconds(90));

            for (JsonObject s : new JsonObject[] {first, second}) {
                assertEquals("bench-01", s.get("pumpId").getAsString());
                assertEquals("continuous", s.get("mode").getAsString());
                assertEquals(400, s.get("rateMcgPerDay").getAsInt());
                assertEquals(500, s.get("concentrationMcgPerMl").getAsInt());
                assertFalse(s.get("suspended").getAsBoolean());
                long gap = s.get("idealMicrosteps").getAsLong() - s.get("deliveredMicrosteps").getAsLong();
                assertTrue(gap >= 0 && gap <= 1, "delivered within a microstep of the ideal: " + s);
            }
            Duration between = Duration.between(Instant.parse(first.get("at").getAsString()), Instant.parse(second.get("at").getAsString()));
            assertTrue(between.toMinutes() >= 120, "hours apart on the daemon's clock: " + between);
            // The ideal over the interval: 400 mcg/day x t / (500 mcg/mL x 71.853 nL)
            BigDecimal ideal = BigDecimal.valueOf(400_000L).multiply(BigDecimal.valueOf(between.toNanos()))
                    .divide(BigDecimal.valueOf(86_400_000_000_000L).multiply(BigDecimal.valueOf(500_000L)).multiply(BigDecimal.valueOf(71_853L))
                            .divide(BigDecimal.valueOf(1_000_000_000L)), MathContext.DECIMAL64);
            long delivered = second.get("deliveredMicrosteps").getAsLong() - first.get("deliveredMicrosteps").getAsLong();
            assertTrue(Math.abs(delivered - ideal.doubleValue()) <= 1.0,
                    delivered + " microsteps delivered against an ideal of " + ideal + " over " + between + "; before: " + first + "; after: " + second);
            int code = d.stop();
            assertTrue(code == 0 || code == 143, "SIGTERM ends the daemon (143 is the JVM's exit code for it): " + code);
        }
    }

    @Test
    void ctrlCStopsTheSimulationAndSaysDeliveryHasStopped() throws Exception {
        try (DaemonProcess d = new DaemonProcess(Files.createDirectories(dir.resolve("ctrl-c"))).withDefaultSigint()) {
            d.simulate(1);
            int code = d.interrupt();
            assertEquals(130, code, "the JVM's exit code for SIGINT");
            String out = Files.readString(d.dir.resolve("daemon.out")).strip();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("OpenITB bench-01 stopped: the motor is off and NOT DELIVERING; the program and the counts are kept in "
                    + d.dir.resolve("state")), "its last word: " + d.log());
        }
    }

    @Test
    void everyKindOfAnswerHasItsExitCode() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir)) {
            DaemonProcess.Run noDaemon = d.openitb("status");
            assertEquals(3, noDaemon.code(), noDaemon.err());
            assertTrue(noDaemon.err().startsWith("openitb: no daemon answers on " + d.socket), noDaemon.err());

            DaemonProcess.Run noUnit = d.openitb("bolus", "--dose", "50", "--over", "10m", "--yes");
            assertEquals(2, noUnit.code(), "bad input is refused before any daemon is asked");
            assertEquals("openitb: dose: '50' has no unit; expected a dose like 50mcg", noUnit.err().strip());

            d.simulate(3_600);
            DaemonProcess.Run unfilled = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
            assertEquals(2, unfilled.code(), "a pump with no refill on record takes no program");
            assertEquals("openitb: no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                    + " a program never sets the concentration by itself", unfilled.err().strip());
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));
            DaemonProcess.Run hard = d.openitb("program", "continuous", "--dose", "1600mcg/day", "--concentration", "500mcg/mL",
                    "--yes", "--override-soft-limit");
            assertEquals(2, hard.code());
            assertEquals("openitb: basal rate 1600mcg/day is above the hard limit of 1500mcg/day (library.daily-dose.hard-max);"
                    + " hard limits cannot be overridden", hard.err().strip());

            DaemonProcess.Run unconfirmed = d.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL");
            assertEquals(2, unconfirmed.code());
            assertEquals("openitb: not applied: no terminal to confirm on; repeat with --yes to apply this change", unconfirmed.err().strip());
            assertTrue(unconfirmed.out().contains("| after"), "the change was shown side by side first: " + unconfirmed.out());
            assertEquals("none", status(d).get("mode").getAsString(), "nothing applied");

            DaemonProcess.assertOk(d.openitb("program", "flex", "--concentration", "500mcg/mL", "--step", "06:00=700mcg/day",
                    "--step", "20:00=750mcg/day", "--yes"));
            assertEquals("flex", status(d).get("mode").getAsString());

            DaemonProcess.Run mismatch = d.openitb("refill", "--volume", "20mL", "--concentration", "2000mcg/mL", "--yes");
            assertEquals(2, mismatch.code());
            assertTrue(mismatch.err().contains("the classic refill error"), mismatch.err());
            assertEquals(2, d.openitb("refill", "--volume", "25mL", "--concentration", "500mcg/mL", "--yes").code());
            DaemonProcess.assertOk(d.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes"));

            DaemonProcess.Run soft = d.openitb("bolus", "--dose", "100mcg", "--over", "10m", "--yes");
            assertEquals(2, soft.code());
            assertTrue(soft.err().contains("this is a soft limit: repeat with --override-soft-limit"), soft.err());
            DaemonProcess.assertOk(d.openitb("bolus", "--dose", "20mcg", "--over", "10m", "--yes"));

            DaemonProcess.assertOk(d.openitb("sim", "occlusion", "on"));
            // The pressure switch trips within a few steps: an hour of the pump's time is plenty.
            JsonObject halted = d.statusAfter(Instant.parse(status(d).get("at").getAsString()), Duration.ofHours(1), Duration.ofSeconds(30));
            assertEquals("halted", halted.get("state").getAsString(), halted.toString());
            assertEquals("occlusion", halted.getAsJsonArray("haltReasons").get(0).getAsString());
            DaemonProcess.Run badSim = d.openitb("sim", "occlusion", "maybe");
            assertEquals(2, badSim.code());
            DaemonProcess.assertOk(d.openitb("sim", "occlusion", "off"));

            // Until resumed: at 3600x a timed one (12 s real for 12 h) can end by itself while two clients start on a loaded host.
            DaemonProcess.assertOk(d.openitb("suspend", "--yes"));
            assertTrue(status(d).get("suspended").getAsBoolean());
            DaemonProcess.assertOk(d.openitb("resume", "--yes"));
            DaemonProcess.Run notSuspended = d.openitb("resume");
            assertEquals(2, notSuspended.code());
            assertEquals("openitb: not suspended: delivery is already running as programmed", notSuspended.err().strip());

            DaemonProcess.Run human = d.openitb("status");
            assertEquals(0, human.code());
            assertTrue(human.out().startsWith("bench-01 at "), human.out());

            d.stop();
            assertFalse(Files.exists(d.socket), "the socket is removed on a clean stop");
            assertEquals(3, d.openitb("status").code());
        }
    }

    @Test
    void onATerminalOf80Or200ColumnsTheDemosLinesNeverPassItsWidth() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir)) {
            for (int columns : new int[] {80, 200}) {
                // A real terminal: script(1) gives the demo a pty, sized as a user's window would be.
                String command = "stty cols " + columns + " rows 40; exec " + DaemonProcess.java() + " -jar " + DaemonProcess.jar()
                        + " simulate --demo --speed 3600 --config " + d.config;
                Process p = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true).start();
                p.getOutputStream().close();
                String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the demo did not end");
                assertEquals(0, p.exitValue(), screen);
                // What the terminal shows: a row per line, each redraw starting over at a carriage return.
                List<String> rows = Arrays.stream(screen.replace("\u001b[K", "").split("[\r\n]+")).toList();
                String widest = rows.stream().max(Comparator.comparingInt(String::length)).orElse("");
                assertTrue(widest.length() <= columns - 1, columns + " columns, yet a line of " + widest.length() + ": " + widest);
                assertTrue(rows.stream().anyMatch(r -> r.matches("\\[\\d\\d:\\d\\d:\\d\\d\\] delivering \\| continuous 400mcg/day.*")),
                        "the live status line: " + screen);
                assertTrue(screen.contains("Demo done:"), screen);
                assertEquals(1, rows.stream().filter(r -> r.contains("ALARM") && r.contains("OCCLUSION (high)")).count(),
                        "the occlusion told once: " + screen);
            }
        }
    }

    @Test
    void theDemoRunsToTheEnd() throws Exception {
        try (DaemonProcess d = new DaemonProcess(dir)) {
            DaemonProcess.Run demo = d.openitb("simulate", "--demo", "--speed", "3600");
            assertEquals(0, demo.code(), demo.out() + demo.err());
            assertTrue(demo.out().contains("Prime the catheter"), demo.out());
            assertTrue(demo.out().contains("HALTED: occlusion"), demo.out());
            assertTrue(demo.out().contains("the halted time was not made up"), demo.out());
            assertTrue(demo.out().contains("Demo done:"), demo.out());
            // A new pump every time, on a memory of its own: played again it runs the same, and the configured one is untouched.
            DaemonProcess.Run again = d.openitb("simulate", "--demo", "--speed", "3600");
            assertEquals(0, again.code(), again.out() + again.err());
            assertTrue(again.out().contains("Demo done:"), again.out());
            assertFalse(Files.exists(d.dir.resolve("state").resolve(PumpStore.FILE)),
                    "the demo kept nothing in the configured state directory");
        }
    }
}
