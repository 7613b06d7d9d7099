package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.telemetry.Mosquitto;
import org.openitb.telemetry.MqttProbe;
import org.openitb.telemetry.MqttProbe.Received;

/**
 * The daemon against a real Mosquitto, watched by a plain Paho subscriber: every topic and field
 * of the contract, acknowledgements from afar (good and bad), Home Assistant discovery, an outage
 * of the broker, and a kill -9 of the pump.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MqttIT {

    private static final String BASE = "openitb/bench-01/";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private DaemonProcess daemon(Mosquitto broker) throws Exception {
        Files.createDirectories(dir.resolve("pump"));
        return new DaemonProcess(dir.resolve("pump"))
                .configure("mqtt.url", broker.url())
                .configure("mqtt.state-period", "2s")
                .configure("mqtt.reconnect-max", "2s")
                .configure("mqtt.unreachable-after", "1s")
                .configure("mqtt.keepalive", "2s");
    }

    @Test
    void everyTopicAndFieldOfTheContractAndAnAcknowledgementFromAfar() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker"));
                MqttProbe probe = MqttProbe.subscribe(broker.url(), BASE + "#", "homeassistant/#");
                DaemonProcess d = daemon(broker).configure("mqtt.homeassistant", "true").simulate(60)) {
            try {
                probe.await("status online", WAIT, r -> r.topic().equals(BASE + "status") && r.payload().equals("online"));
                JsonObject state = probe.await("a state", WAIT, r -> r.topic().equals(BASE + "state")).json();
                for (String field : List.of("pumpId", "at", "mode", "rateMcgPerDay", "deliveredMcgTotal", "deliveredMicrosteps", "reservoirMl",
                        "hoursToEmpty", "activeAlarms", "withdrawalRisk", "suspended", "problems", "deliveredMcgLast24h", "stateEverySeconds")) {
                    assertTrue(state.has(field), "state has " + field + ": " + state);
                }
                assertEquals("bench-01", state.get("pumpId").getAsString());
                assertEquals(2, state.get("stateEverySeconds").getAsLong());

                // Home Assistant: seven entities, retained, with availability from the status topic; again when HA comes online.
                probe.await("discovery", WAIT, r -> r.topic().startsWith("homeassistant/binary_sensor/openitb_bench_01/high_alarm/"));
                List<Received> discovery = probe.received().stream().filter(r -> r.topic().startsWith("homeassistant/")).toList();
                assertEquals(7, discovery.size(), discovery.toString());
                JsonObject reservoir = discovery.stream().filter(r -> r.topic().equals("homeassistant/sensor/openitb_bench_01/reservoir/config"))
                        .findFirst().orElseThrow().json();
                assertEquals(BASE + "state", reservoir.get("state_topic").getAsString());
                assertEquals(BASE + "status", reservoir.get("availability_topic").getAsString());
                assertEquals("mL", reservoir.get("unit_of_measurement").getAsString());
                JsonObject occlusionSensor = discovery.stream().filter(r -> r.topic().contains("/binary_sensor/openitb_bench_01/occlusion/"))
                        .findFirst().orElseThrow().json();
                assertEquals("problem", occlusionSensor.get("device_class").getAsString());
                probe.publish("homeassistant/status", "online", false);
                probe.await("discovery again", WAIT, r -> r.topic().endsWith("/reservoir/config")
                        && probe.on("homeassistant/sensor/openitb_bench_01/reservoir/config").size() >= 2);

                assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                JsonObject program = probe.await("program-changed", WAIT, r -> r.topic().equals(BASE + "event")
                        && r.json().get("type").getAsString().equals("program-changed")).json();
                assertEquals("400mcg/day", program.getAsJsonObject("details").getAsJsonObject("program").get("rate").getAsString());

                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "on")).get("ok").getAsBoolean());
                JsonObject raised = awaitAlarm(probe, "OCCLUSION", "raised");
                for (String field : List.of("id", "seq", "pumpId", "type", "priority", "state", "withdrawalRisk", "overdoseRisk", "message", "at",
                        "risk", "alarmId")) {
                    assertTrue(raised.has(field), "alarm has " + field + ": " + raised);
                }
                assertEquals("high", raised.get("priority").getAsString());
                assertTrue(raised.get("withdrawalRisk").getAsBoolean());
                assertFalse(raised.get("overdoseRisk").getAsBoolean());
                Instant.parse(raised.get("at").getAsString());
                assertTrue(Set.of("none", "elevated", "high", "critical").contains(raised.getAsJsonObject("risk").get("level").getAsString()));
                assertTrue(raised.getAsJsonObject("risk").has("etaNextLevelMinutes"));
                probe.await("a state with the occlusion", WAIT, r -> r.topic().equals(BASE + "state")
                        && r.json().getAsJsonObject("problems").get("occlusion").getAsBoolean()
                        && r.json().getAsJsonObject("problems").get("highAlarm").getAsBoolean());

                // Garbage is refused and answered on event, never acted on.
                String ack = BASE + "cmd/ack";
                probe.publish(ack, "not json", false);
                probe.publish(ack, "{\"id\":\"" + raised.get("alarmId").getAsString() + "\",\"by\":\"" + "x".repeat(2000) + "\"}", false);
                probe.publish(ack, "{\"id\":\"OCC-NOSUCH1\",\"by\":\"Ada\"}", false);
                probe.publish(ack, "{\"id\":\"" + raised.get("alarmId").getAsString() + "\",\"by\":\"Ada\",\"extra\":1}", false);
                probe.publish(ack, "{\"id\":\"" + raised.get("alarmId").getAsString() + "\",\"by\":\"Ada\",\"pumpId\":\"bench-02\"}", false);
                probe.publish(ack, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
                probe.await("six refusals", WAIT, r -> refusals(probe).size() >= 6);
                List<String> reasons = refusals(probe);
                assertTrue(reasons.get(0).startsWith("not valid JSON") || reasons.get(0).contains("JSON"), reasons.toString());
                assertTrue(reasons.stream().anyMatch(s -> s.contains("above the limit of 1024")), reasons.toString());
                assertTrue(reasons.stream().anyMatch(s -> s.contains("no open alarm OCC-NOSUCH1")), reasons.toString());
                assertTrue(reasons.stream().anyMatch(s -> s.contains("unknown field \"extra\"")), reasons.toString());
                assertTrue(reasons.stream().anyMatch(s -> s.contains("for pump \"bench-02\"")), reasons.toString());
                assertTrue(reasons.stream().anyMatch(s -> s.contains("UTF-8")), reasons.toString());
                assertTrue(alarmEvents(probe).stream().noneMatch(a -> a.get("state").getAsString().equals("acknowledged")));

                // A good one, naming the alarm event's own id, goes the way of a local ack and is journaled with who.
                probe.publish(ack, "{\"id\":\"" + raised.get("id").getAsString() + "\",\"by\":\"Nurse Ada\"}", false);
                JsonObject acked = awaitAlarm(probe, "OCCLUSION", "acknowledged");
                assertEquals("Nurse Ada (mqtt)", acked.get("acknowledgedBy").getAsString());
                probe.await("alarm-acknowledged event", WAIT, r -> r.topic().equals(BASE + "event")
                        && r.json().get("type").getAsString().equals("alarm-acknowledged") && r.json().get("who").getAsString().equals("Nurse Ada (mqtt)"));
                assertTrue(d.history().asList().stream().anyMatch(e -> e.getAsJsonObject().get("type").getAsString().equals("alarm-acknowledged")
                        && e.getAsJsonObject().get("who").getAsString().equals("Nurse Ada (mqtt)")));

                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "off")).get("ok").getAsBoolean());
                awaitAlarm(probe, "OCCLUSION", "cleared");

                assertContiguous(probe, "alarm");
                assertContiguous(probe, "event");

                assertEquals(0, d.stop() % 143, "SIGTERM ends the daemon");
                probe.await("status offline on a clean stop", WAIT, r -> r.topic().equals(BASE + "status") && r.payload().equals("offline"));
            } catch (AssertionError | Exception e) {
                throw withLogs(e, d, broker);
            }
        }
    }

    @Test
    void eventsMadeWhileTheBrokerIsDownArriveAfterwardsInOrderWithoutAGap() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker"));
                MqttProbe probe = persistentProbe(broker, BASE + "alarm", BASE + "event");
                DaemonProcess d = daemon(broker).simulate(60)) {
            try {
                assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                probe.await("program-changed", WAIT, r -> r.topic().equals(BASE + "event"));

                broker.stop();
                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "on")).get("ok").getAsBoolean());
                Thread.sleep(500);
                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "off")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.programRequest("440mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                // The outage itself is a low alarm at the pump, and only there.
                long until = System.nanoTime() + WAIT.toNanos();
                boolean local = false;
                while (!local && System.nanoTime() < until) {
                    local = d.status().getAsJsonArray("activeAlarms").asList().stream().anyMatch(a -> a.getAsJsonObject().get("type").getAsString()
                            .equals("BROKER_UNREACHABLE") && a.getAsJsonObject().get("priority").getAsString().equals("low"));
                    Thread.sleep(100);
                }
                assertTrue(local, "BROKER_UNREACHABLE (low) at the pump while the broker is down: " + d.status());

                broker.start();
                probe.reconnect(WAIT);
                probe.await("the rate change made during the outage", WAIT, r -> r.topic().equals(BASE + "event")
                        && r.json().get("type").getAsString().equals("program-changed")
                        && r.json().getAsJsonObject("details").getAsJsonObject("program").get("rate").getAsString().equals("440mcg/day"));
                awaitAlarm(probe, "OCCLUSION", "raised"); // it latches (high) until acknowledged
                assertContiguous(probe, "alarm");
                assertContiguous(probe, "event");
                assertTrue(alarmEvents(probe).stream().noneMatch(a -> a.get("type").getAsString().equals("BROKER_UNREACHABLE")),
                        "BROKER_UNREACHABLE stays local");
            } catch (AssertionError | Exception e) {
                throw withLogs(e, d, broker);
            }
        }
    }

    @Test
    void afterAKillTheWillSaysOfflineWithinOneAndAHalfKeepalivesAndNoEventIsLost() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker"));
                MqttProbe probe = persistentProbe(broker, BASE + "status", BASE + "event")) {
            DaemonProcess d = daemon(broker);
            try {
                d.simulate(60);
                probe.await("online", WAIT, r -> r.topic().equals(BASE + "status") && r.payload().equals("online"));
                assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "on")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.bolusRequest("20mcg", "60m")).get("ok").getAsBoolean());
                long killed = System.nanoTime();
                d.kill();
                Received offline = probe.await("offline (the Last Will)", WAIT, r -> r.topic().equals(BASE + "status")
                        && r.payload().equals("offline") && r.receivedNanos() > killed);
                double seconds = (offline.receivedNanos() - killed) / 1e9;
                System.out.printf("MqttIT: offline seen %.2f s after kill -9 (keepalive 2 s)%n", seconds);
                // Mosquitto checks keepalives once a second: 1.5 x 2 s, plus that tick.
                assertTrue(seconds <= 3.0 + 1.5, "offline after " + seconds + " s");

                d.simulate(60);
                List<String> journaled = new ArrayList<>();
                for (JsonElement e : d.history()) {
                    if (e.toString().contains("BROKER_UNREACHABLE")) {
                        continue; // local only, by design
                    }
                    journaled.add(e.getAsJsonObject().get("type").getAsString() + "@" + e.getAsJsonObject().get("at").getAsString());
                }
                for (String entry : journaled) {
                    probe.await("event " + entry, WAIT, r -> r.topic().equals(BASE + "event")
                            && (r.json().get("type").getAsString() + "@" + r.json().get("at").getAsString()).equals(entry));
                }
                assertContiguous(probe, "event");
            } catch (AssertionError | Exception e) {
                throw withLogs(e, d, broker);
            } finally {
                d.close();
            }
        }
    }

    @Test
    void theMonitorShowsTheAlarmAGapAndTheOutageAndAcknowledgesFromItsInput() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker"));
                MqttProbe probe = MqttProbe.subscribe(broker.url(), BASE + "alarm");
                DaemonProcess d = daemon(broker).simulate(60)) {
            // host:port, as people type it: tcp:// is taken for granted.
            String hostPort = broker.url().substring("tcp://".length());
            Monitor m = Monitor.start(dir.resolve("monitor.err"), "--broker", hostPort, "--pump", "bench-01", "--as", "Ada", "--for", "2m");
            Process monitor = m.process();
            List<JsonObject> lines = m.lines();
            try {
                awaitLine(lines, "the pump online", o -> o.get("kind").getAsString().equals("status") && o.get("online").getAsBoolean());
                assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "on")).get("ok").getAsBoolean());
                JsonObject alarm = awaitLine(lines, "the occlusion", o -> o.get("kind").getAsString().equals("alarm")
                        && o.getAsJsonObject("alarm").get("type").getAsString().equals("OCCLUSION")).getAsJsonObject("alarm");
                awaitLine(lines, "the open alarms", o -> o.get("kind").getAsString().equals("active") && o.getAsJsonArray("alarms").size() == 1);

                monitor.getOutputStream().write(("ack " + alarm.get("alarmId").getAsString() + "\n").getBytes(StandardCharsets.UTF_8));
                monitor.getOutputStream().flush();
                awaitLine(lines, "the acknowledgement sent", o -> o.get("kind").getAsString().equals("ack-sent"));
                JsonObject acked = awaitLine(lines, "the acknowledgement", o -> o.get("kind").getAsString().equals("alarm")
                        && o.getAsJsonObject("alarm").get("state").getAsString().equals("acknowledged")).getAsJsonObject("alarm");
                assertEquals("Ada (mqtt)", acked.get("acknowledgedBy").getAsString());

                // A message that skips numbers (as after a loss) is flagged.
                long seq = probe.on(BASE + "alarm").size() + 5L;
                probe.publish(BASE + "alarm", "{\"id\":\"X.1\",\"alarmId\":\"X\",\"seq\":" + seq
                        + ",\"type\":\"OCCLUSION\",\"priority\":\"high\",\"state\":\"cleared\"}", false);
                awaitLine(lines, "the gap", o -> o.get("kind").getAsString().equals("gap") && o.get("topic").getAsString().equals("alarm"));

                d.kill();
                awaitLine(lines, "the pump offline", o -> o.get("kind").getAsString().equals("status") && !o.get("online").getAsBoolean());
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + m.said(), e);
            } finally {
                m.stop();
            }
        }
    }

    @Test
    void theMonitorSaysWithinSecondsWhenItHearsNothingFromThePumpAndNamesThePumpsItKnows() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker-unheard"));
                MqttProbe probe = MqttProbe.subscribe(broker.url(), "openitb/#")) {
            probe.publish("openitb/bench-02/status", "online", true); // the pump that is there, as its retained status says
            Monitor m = Monitor.start(dir.resolve("monitor-unheard.err"), "--broker", broker.url(), "--pump", "bench-2", "--for", "30s");
            try {
                JsonObject unheard = awaitLine(m.lines(), "that nothing is heard from bench-2", o -> o.get("kind").getAsString().equals("unheard"));
                assertEquals("bench-2", unheard.get("pumpId").getAsString());
                assertEquals("[\"bench-02\"]", unheard.getAsJsonArray("knownPumps").toString());
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + m.said(), e);
            } finally {
                m.stop();
            }
        }
    }

    @Test
    void aMonitorOfAllPumpsNamesEachOnItsLinesAndSendsAnAcknowledgementToThePumpWhoseAlarmItIs() throws Exception {
        try (Mosquitto broker = Mosquitto.open(dir.resolve("broker-ward"));
                MqttProbe probe = MqttProbe.subscribe(broker.url(), "openitb/+/cmd/ack")) {
            // Two pumps as the broker holds them: their retained status, and an alarm raised on one.
            probe.publish("openitb/ward-2/status", "online", true);
            probe.publish("openitb/ward-3/status", "online", true);
            Monitor m = Monitor.start(dir.resolve("monitor-ward.err"), "--broker", broker.url(), "--all-pumps", "--as", "Ada", "--for", "60s");
            try {
                awaitLine(m.lines(), "ward-2 online", o -> o.get("kind").getAsString().equals("status") && o.get("pumpId").getAsString().equals("ward-2"));
                awaitLine(m.lines(), "ward-3 online", o -> o.get("kind").getAsString().equals("status") && o.get("pumpId").getAsString().equals("ward-3"));
                probe.publish("openitb/ward-3/alarm", "{\"id\":\"OCC-3.1\",\"alarmId\":\"OCC-3\",\"seq\":1,\"type\":\"OCCLUSION\","
                        + "\"priority\":\"high\",\"state\":\"raised\",\"message\":\"occlusion\"}", false);
                awaitLine(m.lines(), "ward-3's alarm", o -> o.get("kind").getAsString().equals("alarm") && o.get("pumpId").getAsString().equals("ward-3"));
                m.process().getOutputStream().write("ack OCC-3\n".getBytes(StandardCharsets.UTF_8));
                m.process().getOutputStream().flush();
                MqttProbe.Received ack = probe.await("the acknowledgement", Duration.ofSeconds(20), r -> r.topic().endsWith("/cmd/ack"));
                assertEquals("openitb/ward-3/cmd/ack", ack.topic(), "to the pump whose alarm it is");
                assertEquals("Ada", ack.json().get("by").getAsString());
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + m.said(), e);
            } finally {
                m.stop();
            }
        }
    }

    /** {@code openitb monitor --json} run as a process, each line it prints parsed as it comes; stderr to {@code err}. */
    private record Monitor(Process process, List<JsonObject> lines, Thread reader, Path err) {

        static Monitor start(Path err, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(DaemonProcess.java(), "-jar", DaemonProcess.jar().toString(), "monitor", "--json"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            List<JsonObject> lines = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(JsonParser.parseString(line).getAsJsonObject());
                    }
                } catch (IOException | RuntimeException e) {
                    lines.add(new JsonObject());
                }
            });
            return new Monitor(process, lines, reader, err);
        }

        /** What it printed and wrote to stderr, for a failure's message. */
        String said() throws IOException {
            return "\n--- monitor said:\n" + lines + "\n--- monitor stderr:\n" + Files.readString(err);
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
        }
    }

    private static JsonObject awaitLine(List<JsonObject> lines, String what, Predicate<JsonObject> match) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            synchronized (lines) {
                for (JsonObject o : lines) {
                    if (o.has("kind") && match.test(o)) {
                        return o;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the monitor did not show " + what + " within " + WAIT);
    }

    // ------------------------------------------------------------------ helpers

    private static MqttProbe persistentProbe(Mosquitto broker, String... filters) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        return MqttProbe.subscribe(broker.url(), "probe-persistent-" + System.nanoTime(), o, filters);
    }

    private static JsonObject awaitAlarm(MqttProbe probe, String type, String state) throws InterruptedException {
        return probe.await(type + " " + state, WAIT, r -> r.topic().equals(BASE + "alarm") && r.json().get("type").getAsString().equals(type)
                && r.json().get("state").getAsString().equals(state)).json();
    }

    private static List<JsonObject> alarmEvents(MqttProbe probe) {
        return probe.on(BASE + "alarm").stream().map(Received::json).toList();
    }

    private static List<String> refusals(MqttProbe probe) {
        return probe.on(BASE + "event").stream().map(Received::json).filter(e -> e.get("type").getAsString().equals("remote-ack-refused"))
                .map(e -> e.getAsJsonObject("details").get("reason").getAsString()).toList();
    }

    /** Deduplicated by id (a republished message is a duplicate), {@code seq} runs 1, 2, 3... in the order received. */
    static void assertContiguous(MqttProbe probe, String topic) {
        Map<String, Long> byId = new LinkedHashMap<>();
        for (Received r : probe.on(BASE + topic)) {
            JsonObject o = r.json();
            Long earlier = byId.putIfAbsent(o.get("id").getAsString(), o.get("seq").getAsLong());
            if (earlier != null) {
                assertEquals(earlier, o.get("seq").getAsLong(), "a republished message keeps its seq");
            }
        }
        List<Long> seqs = List.copyOf(byId.values());
        assertFalse(seqs.isEmpty(), "nothing on " + topic);
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(seqs.get(0) + i, seqs.get(i), topic + " seq in the order received: " + seqs);
        }
        assertEquals(1L, seqs.get(0), topic + " seq starts at 1 for a new pump");
    }

    private static AssertionError withLogs(Throwable e, DaemonProcess d, Mosquitto broker) throws Exception {
        String log = d.log();
        return new AssertionError(e.getMessage() + "\n--- daemon log, last lines:\n" + log.substring(Math.max(0, log.length() - 4_000))
                + "\n--- broker log:\n" + broker.log(), e);
    }
}
