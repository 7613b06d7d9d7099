package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.cli.Cli;
import org.openitb.control.ControlClient.UnreachableException;
import org.openitb.telemetry.Mosquitto;
import org.openitb.telemetry.MqttProbe;

/**
 * Garbage at every entry point of one real daemon (simulated bench, real Mosquitto), grouped by
 * entry point: config files, command-line arguments, control-socket frames and MQTT
 * acknowledgements. Each case is refused with a clear error (exit 2 and one line at the command
 * line) and changes nothing; after every case the pump is still delivering its program, and over
 * each group its delivered count went up. The count of cases is printed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class BadInputIT {

    private static final String PUMP = "openitb/bench-01/";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private Mosquitto broker;
    private DaemonProcess daemon;
    private MqttProbe monitor;
    private String openAlarmId;
    private final Map<String, Integer> tried = new TreeMap<>();

    @BeforeAll
    void start() throws Exception {
        broker = Mosquitto.open(Files.createDirectories(dir.resolve("broker")));
        daemon = new DaemonProcess(Files.createDirectories(dir.resolve("pump"))).configure("mqtt.url", broker.url()).configure("mqtt.state-period", "10s");
        daemon.simulate(60);
        assertEquals(0, daemon.openitb("refill", "--volume", "20mL", "--concentration", "500mcg/mL", "--yes").code());
        DaemonProcess.Run program = daemon.openitb("program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes");
        assertEquals(0, program.code(), program.err());
        monitor = MqttProbe.subscribe(broker.url(), PUMP + "#");
        // An open alarm that does not stop delivery, for acknowledgements to aim at: the level switch says low, the model disagrees.
        assertTrue(daemon.request(DaemonProcess.simRequest("reservoir-switch", "low")).get("ok").getAsBoolean());
        long until = System.nanoTime() + WAIT.toNanos();
        while (openAlarmId == null && System.nanoTime() < until) {
            for (var a : daemon.status().getAsJsonArray("activeAlarms")) {
                if (a.getAsJsonObject().get("type").getAsString().equals("RESERVOIR_DISCREPANCY")) {
                    openAlarmId = a.getAsJsonObject().get("id").getAsString();
                }
            }
            Thread.sleep(50);
        }
        assertNotNull(openAlarmId, "a discrepancy alarm to aim acknowledgements at: " + daemon.status());
    }

    @AfterAll
    void stop() throws Exception {
        int total = tried.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("bad inputs tried: " + total + " " + tried + "; the pump delivered its program throughout");
        try {
            assertTrue(total >= 200, "at least 200 bad inputs: " + tried);
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            daemon.close();
            broker.close();
        }
    }

    // ------------------------------------------------------------------ the pump goes on

    /** The program is the one given at the start, the pump delivers it, and the open alarm is still not acknowledged. */
    private void stillDelivering(String after) throws Exception {
        JsonObject s = daemon.status();
        assertEquals("delivering", s.get("state").getAsString(), after + ": " + s);
        assertEquals("continuous", s.get("mode").getAsString(), after);
        assertEquals(400, s.get("rateMcgPerDay").getAsInt(), after);
        assertEquals(500, s.get("concentrationMcgPerMl").getAsInt(), after);
        assertEquals("null", s.get("bolus").toString(), after + ": no bolus was started");
        assertFalse(s.get("suspended").getAsBoolean(), after);
    }

    /** The cases of a group, each followed by the check that the pump goes on, then a check that delivery advanced over the group. */
    private Stream<DynamicTest> grouped(String group, List<Case> cases) throws Exception {
        long[] before = {-1};
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest(group + ": delivering before", () -> {
            stillDelivering("before");
            before[0] = daemon.status().get("deliveredMicrosteps").getAsLong();
        }));
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(group + ": " + c.name(), () -> {
                c.body().run();
                tried.merge(group, 1, Integer::sum);
                stillDelivering(c.name());
            }));
        }
        tests.add(DynamicTest.dynamicTest(group + ": delivery advanced over the group", () -> {
            long until = System.nanoTime() + WAIT.toNanos();
            while (daemon.status().get("deliveredMicrosteps").getAsLong() <= before[0] && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(daemon.status().get("deliveredMicrosteps").getAsLong() > before[0], "delivered went on during " + group);
        }));
        return tests.stream();
    }

    private record Case(String name, Body body) {
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------ config files

    @Order(1)
    @TestFactory
    Stream<DynamicTest> configFiles() throws Exception {
        String shipped = Files.readString(daemon.config);
        List<Case> cases = new ArrayList<>();
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        wrong.put("banana", List.of("stepper.microsteps", "stepper.step-pin", "stepper.max-step-rate", "stepper.watchdog", "syringe.capacity",
                "calibration.volume-per-microstep", "reservoir.low-volume", "reservoir.low-days", "delivery.priming-rate", "delivery.max-suspend",
                "catheter.volume", "sensors.poll-interval", "sensor.occlusion.debounce", "sensor.occlusion.active", "sensor.occlusion.pull",
                "sensor.occlusion.self-test", "library.daily-dose.hard-max", "library.bolus.max", "library.bolus.lockout", "library.origin",
                "library.titration.spinal", "alarm.silence", "alarm.storage.low-free-mb", "risk.half-life", "risk.critical-below",
                "mqtt.keepalive", "mqtt.homeassistant", "clock.zone", "stepper.chip", "stepper.enable-active"));
        wrong.put("-5", List.of("stepper.microsteps", "stepper.step-pin", "alarm.storage.low-free-mb", "sensors.chatter-edges"));
        wrong.put("-5mL", List.of("syringe.capacity", "reservoir.low-volume", "catheter.volume", "delivery.priming-max"));
        wrong.put("-5m", List.of("stepper.watchdog", "alarm.silence", "library.bolus.lockout", "alarm.suspend.after", "risk.half-life"));
        wrong.put("99999999999999999999999", List.of("stepper.microsteps", "alarm.storage.low-free-mb", "sensors.chatter-edges"));
        wrong.put("99999999mL", List.of("syringe.capacity", "reservoir.low-volume"));
        wrong.put("99999999mcg/day", List.of("library.daily-dose.hard-max", "library.daily-dose.soft-max"));
        wrong.put("9999d", List.of("stepper.watchdog", "sensors.poll-interval", "alarm.silence", "risk.half-life"));
        wrong.put("500", List.of("library.bolus.max", "calibration.volume-per-microstep", "syringe.capacity"));
        for (var e : wrong.entrySet()) {
            for (String key : e.getValue()) {
                cases.add(configCase(key + " = " + e.getKey(), shipped, set(key, e.getKey()), key));
            }
        }
        for (String typo : List.of("pump.idd", "stepper.micro-steps", "sensor.occlusion.debounse", "mqtt.pasword-file", "library.bolus.maximum",
                "alarm.silense", "x")) {
            cases.add(configCase("unknown key " + typo, shipped, t -> t + "\n" + typo + " = 1\n", typo));
        }
        for (String key : List.of("pump.id", "stepper.step-pin", "stepper.dir-pin", "stepper.enable-pin", "calibration.volume-per-microstep",
                "sensor.occlusion.pin", "sensor.stall.pin", "annunciator.buzzer-pin", "stepper.ms1-pin", "sensor.end-of-travel.pin", "annunciator.led-pin",
                "state.dir")) {
            cases.add(configCase("missing " + key, shipped, t -> t.replaceAll("(?m)^" + Pattern.quote(key) + "\\s*=.*$", ""), key));
        }
        for (String[] pair : new String[][] {{"sensor.occlusion.pin", "17"}, {"stepper.dir-pin", "17"}, {"annunciator.led-pin", "18"},
                {"sensor.stall.pin", "23"}, {"stepper.ms1-pin", "22"}, {"sensors.supply-pin", "24"}}) {
            cases.add(configCase("duplicate pin " + pair[0] + " = " + pair[1], shipped, set(pair[0], pair[1]), pair[0]));
        }
        for (String pin : List.of("0", "1", "28", "40", "1000")) {
            cases.add(configCase("pin out of range " + pin, shipped, set("stepper.step-pin", pin), "stepper.step-pin"));
        }
        for (String m : List.of("3", "64", "128", "0")) {
            cases.add(configCase("drv8825 at " + m + " microsteps", shipped, set("stepper.microsteps", m), "stepper.microsteps"));
        }
        cases.add(configCase("tmc2209 at 4 microsteps", shipped, t -> set("stepper.microsteps", "4").apply(set("stepper.chip", "tmc2209")
                .apply(t.replaceAll("(?m)^stepper.ms3-pin\\s*=.*$", ""))), "stepper.microsteps"));
        cases.add(configCase("a4988 at 32 microsteps", shipped, t -> set("stepper.microsteps", "32").apply(set("stepper.chip", "a4988").apply(t)),
                "stepper.microsteps"));
        cases.add(configCase("soft limit above hard", shipped, set("library.daily-dose.soft-max", "2000mcg/day"), "library.daily-dose"));
        cases.add(configCase("a key given twice", shipped, t -> t + "\npump.id = other\n", "pump.id"));
        cases.add(configCase("mqtt.url with credentials", shipped, set("mqtt.url", "tcp://u:p@host:1883"), "mqtt.url"));
        cases.add(configCase("mqtt.url not a url", shipped, set("mqtt.url", "not a url"), "mqtt.url"));
        cases.add(configCase("password file missing", shipped, set("mqtt.password-file", "/nonexistent/secret"), "mqtt.password-file"));
        cases.add(fileCase("a missing file", dir.resolve("nowhere.properties")));
        cases.add(fileCase("a directory", dir));
        cases.add(fileCase("binary junk", write("junk.properties", randomBytes(4096, 1))));
        cases.add(fileCase("an oversized file", write("huge.properties", ("# " + "x".repeat(100) + "\n").repeat(20_000).getBytes(StandardCharsets.UTF_8))));
        cases.add(fileCase("not UTF-8", write("latin1.properties", "pump.id = b\u00e9nch\n".getBytes(StandardCharsets.ISO_8859_1))));
        cases.add(fileCase("an empty file", write("empty.properties", new byte[0])));
        // The daemon's own verbs refuse a bad config the same way, before anything starts.
        for (String verb : List.of("simulate", "run")) {
            cases.add(daemonVerbCase(verb + " with an unknown key", verb, shipped, t -> t + "\nstepper.micro-steps = 16\n", "stepper.micro-steps"));
            cases.add(daemonVerbCase(verb + " with a missing pin", verb, shipped, t -> t.replaceAll("(?m)^stepper.step-pin\\s*=.*$", ""),
                    "stepper.step-pin"));
            cases.add(daemonVerbCase(verb + " with a pin used twice", verb, shipped, set("sensor.stall.pin", "23"), "sensor.stall.pin"));
        }
        return grouped("config", cases);
    }

    private static UnaryOperator<String> set(String key, String value) {
        return t -> {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(t);
            return m.find() ? m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)) : t + "\n" + key + " = " + value + "\n";
        };
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Case configCase(String name, String shipped, UnaryOperator<String> edit, String named) {
        return new Case(name, () -> {
            Path file = dir.resolve("bad-" + Integer.toHexString(name.hashCode()) + ".properties");
            Files.writeString(file, edit.apply(shipped));
            Cli r = Cli.run("config", "check", "--config", file.toString());
            assertRefused(r, named);
        });
    }

    private Case daemonVerbCase(String name, String verb, String shipped, UnaryOperator<String> edit, String named) {
        return new Case(name, () -> {
            Path file = dir.resolve("bad-" + verb + "-" + Integer.toHexString(name.hashCode()) + ".properties");
            Files.writeString(file, edit.apply(shipped).replace(daemon.dir.toString(), dir.resolve("never").toString()));
            assertRefused(Cli.run(verb, "--config", file.toString()), named);
            assertFalse(Files.exists(dir.resolve("never")), "nothing was started: no state directory made");
        });
    }

    private Case fileCase(String name, Path file) {
        return new Case(name, () -> assertRefused(Cli.run("config", "check", "--config", file.toString()), ""));
    }

    private static void assertRefused(Cli r, String named) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.errLines() >= 1, "a reason is given");
        assertTrue(r.err().contains(named), "the reason names " + named + ": " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "a reason, not a stack trace: " + r.err());
        r.err().lines().forEach(line -> assertTrue(line.length() < 400, "one short line per problem: " + line));
    }

    // ------------------------------------------------------------------ command-line arguments

    @Order(2)
    @TestFactory
    Stream<DynamicTest> commandLine() throws Exception {
        String config = daemon.config.toString();
        List<String[]> lines = List.of(
                new String[] {}, new String[] {"fly"}, new String[] {"--config"}, new String[] {"status", "--jsn"}, new String[] {"status", "extra"},
                new String[] {"simulate", "--speed", "0"}, new String[] {"simulate", "--speed", "-3"}, new String[] {"simulate", "--speed", "fast"},
                new String[] {"simulate", "--speed", "99999999999"},
                new String[] {"program"}, new String[] {"program", "warp", "--dose", "400mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg/day", "--yes"},
                new String[] {"program", "continuous", "--dose", "400", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "-400mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "NaNmcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "1e3mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "99999999999999999999mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg/day", "--concentration", "500", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg/day", "--concentration", "500mcg/L", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg/day", "--concentration", "750mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "1600mcg/day", "--concentration", "500mcg/mL", "--yes", "--override-soft-limit"},
                new String[] {"program", "continuous", "--dose", "900mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "0mcg/day", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "continuous", "--dose", "400mcg/day", "--concentration", "2000mcg/mL", "--yes"},
                new String[] {"program", "flex", "--concentration", "500mcg/mL", "--step", "25:00=100mcg/day", "--yes"},
                new String[] {"program", "flex", "--concentration", "500mcg/mL", "--step", "06:00=abc", "--yes"},
                new String[] {"program", "flex", "--concentration", "500mcg/mL", "--step", "06:00", "--yes"},
                new String[] {"program", "flex", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"program", "flex", "--concentration", "500mcg/mL", "--step", "06:00=400mcg/day", "--step", "06:00=500mcg/day", "--yes"},
                new String[] {"bolus", "--dose", "50mcg", "--over", "10", "--yes"}, new String[] {"bolus", "--dose", "50", "--over", "10m", "--yes"},
                new String[] {"bolus", "--dose", "50mcg", "--over", "-10m", "--yes"}, new String[] {"bolus", "--dose", "50mcg", "--over", "0m", "--yes"},
                new String[] {"bolus", "--dose", "150mcg", "--over", "10m", "--yes", "--override-soft-limit"},
                new String[] {"bolus", "--dose", "50mcg", "--over", "10s", "--yes"}, new String[] {"bolus", "--dose", "50mcg", "--yes"},
                new String[] {"bolus", "--over", "10m", "--yes"}, new String[] {"bolus", "--dose", "50mL", "--over", "10m", "--yes"},
                new String[] {"refill", "--volume", "20", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"refill", "--volume", "-1mL", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"refill", "--volume", "99999mL", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"refill", "--volume", "20mL", "--concentration", "1000mcg/mL", "--yes"},
                new String[] {"refill", "--volume", "20mL", "--yes"}, new String[] {"refill", "--volume", "20mcg", "--concentration", "500mcg/mL", "--yes"},
                new String[] {"suspend", "--for", "abc", "--yes"}, new String[] {"suspend", "--for", "-5m", "--yes"},
                new String[] {"suspend", "--for", "5", "--yes"}, new String[] {"suspend", "--for", "999d", "--yes"},
                new String[] {"ack"}, new String[] {"ack", "NOT-AN-ALARM"}, new String[] {"ack", "OCC-ZZZZZZZZ"}, new String[] {"ack", "x".repeat(5000)},
                new String[] {"history", "--limit", "-1"}, new String[] {"history", "--limit", "abc"}, new String[] {"history", "--limit", "99999999999"},
                new String[] {"sim", "occlusion", "sideways"}, new String[] {"sim", "chatter", "buzzer"}, new String[] {"sim", "teleport", "on"},
                new String[] {"sim"}, new String[] {"monitor", "--pump", ""}, new String[] {"monitor", "--broker", "not a url", "--pump", "bench-01"},
                new String[] {"monitor", "--broker", "tcp://127.0.0.1:1", "--pump", "bad/pump"},
                new String[] {"bench", "--duration", "1s"}, new String[] {"bench", "--cycles", "0"}, new String[] {"config", "frobnicate"},
                new String[] {"program", "continuous", "--dose", "\u0000", "--concentration", "500mcg/mL", "--yes"});
        List<Case> cases = new ArrayList<>();
        for (String[] args : lines) {
            String[] withConfig = Arrays.copyOf(args, args.length + 2);
            withConfig[args.length] = "--config";
            withConfig[args.length + 1] = config;
            String name = args.length == 0 ? "(nothing)" : String.join(" ", args).replace("\n", "\\n").replace("\u0000", "\\0");
            cases.add(new Case(name.length() > 80 ? name.substring(0, 80) + "..." : name, () -> {
                Cli r = Cli.run(args.length == 0 ? args : withConfig);
                assertEquals(2, r.code(), "exit 2 for invalid input: " + r.out() + r.err());
                assertEquals(1, r.errLines(), "one line: " + r.err());
                assertFalse(r.err().contains("Exception"), r.err());
            }));
        }
        return grouped("command line", cases);
    }

    // ------------------------------------------------------------------ control-socket frames

    private final class Peer implements AutoCloseable {
        final SocketChannel channel;
        final BufferedReader reader;

        Peer() throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(daemon.socket));
            reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        JsonObject answer() throws IOException {
            String line = reader.readLine();
            return line == null ? null : JsonParser.parseString(line).getAsJsonObject();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Order(3)
    @TestFactory
    Stream<DynamicTest> controlSocket() throws Exception {
        List<String> frames = new ArrayList<>(List.of("", " ", "hello", "null", "42", "\"status\"", "[]", "[{\"verb\":\"status\"}]", "{", "}", "{}",
                "{\"verb\":null}", "{\"verb\":\"\"}", "{\"verb\":\"STATUS\"}", "{\"verb\":\"status\"}{\"verb\":\"status\"}", "{\"verb\":\"status\",}",
                "{\"verb\":\"status\",\"verb\":\"bolus\"}", "{\"verb\":[\"status\"]}", "{\"verb\":{\"a\":1}}", "{\"v\":\"1\",\"verb\":\"status\"}",
                "{\"v\":99,\"verb\":\"status\"}", "{\"verb\":\"bolus\"}", "{\"verb\":\"bolus\",\"dose\":50,\"over\":\"10m\"}",
                "{\"verb\":\"bolus\",\"dose\":\"50mcg\",\"over\":\"10m\",\"commit\":\"yes\"}", "{\"verb\":\"bolus\",\"dose\":\"5e1mcg\",\"over\":\"10m\"}",
                "{\"verb\":\"program\",\"mode\":\"continuous\",\"dose\":\"400mcg/day\"}",
                "{\"verb\":\"program\",\"mode\":\"continuous\",\"dose\":\"400mcg/day\",\"concentration\":\"500mcg/mL\",\"commit\":1}",
                "{\"verb\":\"program\",\"mode\":\"flex\",\"concentration\":\"500mcg/mL\",\"steps\":\"06:00=1mcg/day\"}",
                "{\"verb\":\"program\",\"mode\":\"flex\",\"concentration\":\"500mcg/mL\",\"steps\":[1,2]}",
                "{\"verb\":\"refill\",\"volume\":\"20mL\"}", "{\"verb\":\"refill\",\"volume\":\"1e400mL\",\"concentration\":\"500mcg/mL\"}",
                "{\"verb\":\"suspend\",\"for\":\"forever\"}", "{\"verb\":\"ack\"}", "{\"verb\":\"ack\",\"id\":42}", "{\"verb\":\"ack\",\"id\":\"\"}",
                "{\"verb\":\"history\",\"limit\":\"-1\"}", "{\"verb\":\"sim\",\"what\":\"occlusion\",\"value\":\"maybe\"}",
                "{\"verb\":\"status\",\"pad\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "{\"verb\":\"status\"}\u0000",
                "\u001b[2J{\"verb\":\"status\"}", "{\"verb\":\"st\\u0061tus\",\"x\":\"\\ud800\"}"));
        List<Case> cases = new ArrayList<>();
        for (String frame : frames) {
            String name = frame.length() > 60 ? frame.substring(0, 60) + "..." : frame;
            cases.add(new Case("frame " + name.replace("\u0000", "\\0").replace("\u001b", "\\e"), () -> {
                try (Peer p = new Peer()) {
                    p.send((frame + "\n").getBytes(StandardCharsets.UTF_8));
                    JsonObject a = p.answer();
                    assertNotNull(a, "an answer");
                    assertFalse(a.get("ok").getAsBoolean(), frame + " -> " + a);
                    assertFalse(a.get("error").getAsString().contains("\n"));
                    p.send("{\"verb\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
                    assertTrue(p.answer().get("ok").getAsBoolean(), "the connection still answers");
                }
            }));
        }
        for (int seed = 1; seed <= 10; seed++) {
            byte[] junk = randomBytes(200 + seed * 50, seed);
            for (int i = 0; i < junk.length; i++) {
                junk[i] = junk[i] == '\n' ? 0 : junk[i];
            }
            cases.add(new Case("binary junk, seed " + seed, () -> {
                try (Peer p = new Peer()) {
                    p.send(junk);
                    p.send(new byte[] {'\n'});
                    JsonObject a = p.answer();
                    assertTrue(a == null || !a.get("ok").getAsBoolean(), "refused: " + a);
                } catch (SocketException closedOnUs) {
                    // refused by closing the connection: also a refusal
                }
            }));
        }
        cases.add(new Case("a half line, then hanging up", () -> {
            try (Peer p = new Peer()) {
                p.send("{\"verb\":\"bolus\",\"dose\":\"50mcg\",\"over\":\"10m\",\"com".getBytes(StandardCharsets.UTF_8));
            }
        }));
        cases.add(new Case("an oversized line", () -> {
            try (Peer p = new Peer()) {
                p.send(("{\"verb\":\"status\",\"pad\":\"" + "x".repeat(40_000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
                JsonObject a = p.answer();
                assertTrue(a.get("error").getAsString().startsWith("request longer than"), a.toString());
                assertEquals(null, p.answer(), "closed");
            } catch (SocketException resetWhileWeStillWrote) {
                // the server answered and closed after the first 16 KiB; the rest of ours made the kernel reset the line
            }
        }));
        cases.add(new Case("an endless line without a newline", () -> {
            try (Peer p = new Peer()) {
                byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 8; i++) {
                    try {
                        p.send(chunk);
                    } catch (IOException closed) {
                        break; // the server cut it off: what we wanted
                    }
                }
                JsonObject a = p.answer();
                assertTrue(a == null || !a.get("ok").getAsBoolean());
            }
        }));
        cases.add(new Case("every connection slot held open and idle", () -> {
            List<Peer> idle = new ArrayList<>();
            try {
                long before = daemon.status().get("deliveredMicrosteps").getAsLong();
                for (int i = 0; i < 12; i++) {
                    idle.add(new Peer());
                }
                Thread.sleep(2_000);
                for (Peer p : idle) {
                    p.close();
                }
                idle.clear();
                long until = System.nanoTime() + WAIT.toNanos();
                JsonObject after = null;
                while (after == null && System.nanoTime() < until) {
                    try {
                        after = daemon.status(); // a slot comes free when a closed connection's thread ends
                    } catch (IllegalStateException | UnreachableException busy) {
                        // Still full: refused in words, or (on a loaded host) the connection closed before the
                        // request was written (a broken pipe). Either way, ask again until the deadline.
                        Thread.sleep(20);
                    }
                }
                assertNotNull(after, "served again once the idlers left");
                assertTrue(after.get("deliveredMicrosteps").getAsLong() > before, "delivered while every slot was held");
            } finally {
                for (Peer p : idle) {
                    p.close();
                }
            }
        }));
        cases.add(new Case("a client that sends and never reads", () -> {
            try (Peer p = new Peer()) {
                byte[] ask = "{\"verb\":\"history\",\"limit\":\"1000\"}\n".repeat(200).getBytes(StandardCharsets.UTF_8);
                p.channel.configureBlocking(false);
                ByteBuffer b = ByteBuffer.wrap(ask);
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (b.hasRemaining() && System.nanoTime() < until) {
                    if (p.channel.write(b) == 0) {
                        Thread.sleep(10);
                    }
                }
                stillDelivering("a client not reading");
                JsonObject s = daemon.status();
                assertNotNull(s, "other clients are answered meanwhile");
            }
        }));
        return grouped("control socket", cases);
    }

    // ------------------------------------------------------------------ MQTT acknowledgements

    @Order(4)
    @TestFactory
    Stream<DynamicTest> mqttAcknowledgements() throws Exception {
        List<Case> cases = new ArrayList<>();
        List<String> payloads = List.of("", "hello", "null", "[]", "42", "{}", "{\"id\":\"" + "%s" + "\"}", "{\"by\":\"nurse\"}",
                "{\"id\":42,\"by\":\"nurse\"}", "{\"id\":\"%s\",\"by\":42}", "{\"id\":\"%s\",\"by\":\"\"}", "{\"id\":\"%s\",\"by\":\"<script>\"}",
                "{\"id\":\"%s\",\"by\":\"" + "n".repeat(65) + "\"}", "{\"id\":\"%s\",\"by\":\"nurse\",\"extra\":1}",
                "{\"id\":\"%s\",\"by\":\"nurse\",\"pumpId\":\"bench-02\"}", "{\"id\":\"%s\",\"by\":\"nurse\",\"pumpId\":42}",
                "{\"id\":\"OCC-ZZZZZZZZ\",\"by\":\"nurse\"}", "{\"id\":\"OCC-ZZZZZZZZ.17\",\"by\":\"nurse\"}", "{\"id\":\"not an id\",\"by\":\"nurse\"}",
                "{\"id\":\"%s\",\"by\":\"nurse\",\"id\":\"%s\"}", "{\"id\":\"%s\",\"by\":\"nurse\"} trailing", "{'id':'%s','by':'nurse'}",
                "{\"id\":\"%s\",\"by\":\"nurse\",\"pad\":\"" + "x".repeat(2000) + "\"}");
        for (String template : payloads) {
            String payload = template.replace("%s", openAlarmId);
            String name = payload.length() > 60 ? payload.substring(0, 60) + "..." : payload;
            cases.add(new Case("ack " + (name.isEmpty() ? "(empty)" : name), () -> refusedAck(payload.getBytes(StandardCharsets.UTF_8), false)));
        }
        cases.add(new Case("ack not UTF-8", () -> refusedAck(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}, false)));
        cases.add(new Case("ack of 64 KiB", () -> refusedAck(("{\"id\":\"" + openAlarmId + "\",\"by\":\"" + "x".repeat(65_536) + "\"}")
                .getBytes(StandardCharsets.UTF_8), false)));
        cases.add(new Case("ack binary junk", () -> refusedAck(randomBytes(300, 7), false)));
        cases.add(new Case("a valid ack for another pump's topic", () -> {
            monitor.publish("openitb/bench-02/cmd/ack", ("{\"id\":\"" + openAlarmId + "\",\"by\":\"nurse\"}").getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
            assertAlarmStillRaised();
        }));
        return grouped("mqtt ack", cases);
    }

    private void refusedAck(byte[] payload, boolean retained) throws Exception {
        long before = monitor.on(PUMP + "event").size();
        if (retained) {
            monitor.publish(PUMP + "cmd/ack", new String(payload, StandardCharsets.UTF_8), true);
        } else {
            monitor.publish(PUMP + "cmd/ack", payload);
        }
        // Refusals are journaled at up to one a second after a burst of ten: pace the cases so each is seen.
        var refused = monitor.await("remote-ack-refused", WAIT, m -> m.topic().equals(PUMP + "event")
                && monitor.on(PUMP + "event").indexOf(m) >= before && m.json().get("type").getAsString().equals("remote-ack-refused"));
        assertTrue(refused.json().toString().contains("reason"), refused.payload());
        if (retained) {
            monitor.publish(PUMP + "cmd/ack", "", true); // clear the retained message
        }
        assertAlarmStillRaised();
        Thread.sleep(1_050);
    }

    private void assertAlarmStillRaised() throws Exception {
        for (var a : daemon.status().getAsJsonArray("activeAlarms")) {
            JsonObject alarm = a.getAsJsonObject();
            if (alarm.get("id").getAsString().equals(openAlarmId)) {
                assertEquals("raised", alarm.get("state").getAsString(), "nothing acknowledged it: " + alarm);
                return;
            }
        }
        throw new AssertionError("the alarm " + openAlarmId + " is gone: " + daemon.status());
    }
}
