package org.openitb.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.clock.SimulatedClock;
import org.openitb.daemon.BenchFaults;
import org.openitb.sim.Bench;

/** The control socket against junk, floods and idlers, with the real service behind it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlServerTest {

    @TempDir
    Path dir;

    private Bench bench;
    private SimulatedClock reaperClock;
    private ControlServer server;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        bench = Bench.utc();
        reaperClock = SimulatedClock.utc();
        socket = dir.resolve("control.sock");
        ControlService service = new ControlService("bench-01", bench.pump.controller(), bench.pump.supervisor(), Optional.of(new BenchFaults(bench.plant, 1)), Optional.empty(),
                bench.config.mechanics().volumePerMicrostep(), 1);
        server = ControlServer.start(socket, service, reaperClock, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        server.close();
        bench.close();
    }

    private static final class Peer implements AutoCloseable {
        final SocketChannel channel;
        final BufferedReader reader;

        Peer(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        JsonObject ask(String line) throws IOException {
            send((line + "\n").getBytes(StandardCharsets.UTF_8));
            return answer();
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

    @Test
    void statusCarriesTheContractFields() throws IOException {
        try (Peer peer = new Peer(socket)) {
            JsonObject answer = peer.ask("{\"v\":1,\"verb\":\"status\"}");
            assertTrue(answer.get("ok").getAsBoolean());
            JsonObject status = answer.getAsJsonObject("status");
            for (String field : List.of("pumpId", "at", "mode", "rateMcgPerDay", "concentrationMcgPerMl", "deliveredMcgTotal",
                    "deliveredMicrosteps", "reservoirMl", "hoursToEmpty", "activeAlarms", "withdrawalRisk", "suspended",
                    "idealMicrosteps", "volumePerMicrostepNl", "stepLateness", "state")) {
                assertTrue(status.has(field), "status has " + field);
            }
            assertEquals("bench-01", status.get("pumpId").getAsString());
            assertEquals("2026-01-05T00:00:00Z", status.get("at").getAsString());
            assertEquals("none", status.get("mode").getAsString());
            assertEquals(20, status.get("reservoirMl").getAsInt());
            assertEquals(71.853, status.get("volumePerMicrostepNl").getAsDouble());
            assertFalse(status.get("suspended").getAsBoolean());
        }
    }

    @Test
    void junkOfEveryKindGetsAOneLineErrorAndTheConnectionStaysUsable() throws IOException {
        try (Peer peer = new Peer(socket)) {
            List<String[]> cases = List.of(
                    new String[] {"", "not valid JSON"},
                    new String[] {"hello", "not valid JSON"},
                    new String[] {"[1,2]", "a request is one JSON object"},
                    new String[] {"{\"verb\":\"status\"} trailing", "text after the JSON object"},
                    new String[] {"{\"verb\":\"status\",\"verb\":\"status\"}", "field \"verb\" given twice"},
                    new String[] {"{'verb':'status'}", "not valid JSON"},
                    new String[] {"{\"verb\":\"fly\"}", "unknown verb \"fly\""},
                    new String[] {"{\"verb\":\"status\",\"extra\":1}", "unknown field \"extra\""},
                    new String[] {"{\"verb\":42}", "field \"verb\" must be a string"},
                    new String[] {"{\"v\":2,\"verb\":\"status\"}", "protocol version 2 is not spoken here (1 is)"},
                    new String[] {"{\"verb\":\"bolus\",\"dose\":\"50\",\"over\":\"10m\"}", "dose: '50' has no unit"},
                    new String[] {"{\"verb\":\"bolus\",\"dose\":\"50mg\",\"over\":\"10m\"}", "dose: '50mg' is in mg"},
                    new String[] {"{\"verb\":\"program\",\"mode\":\"continuous\",\"dose\":\"NaN\",\"concentration\":\"500mcg/mL\"}", "dose: 'NaN' is not"},
                    new String[] {"{\"verb\":\"program\",\"mode\":\"warp\",\"concentration\":\"500mcg/mL\"}", "mode must be continuous or flex"},
                    new String[] {"{\"verb\":\"program\",\"mode\":\"flex\",\"concentration\":\"500mcg/mL\",\"steps\":[\"25:00=1mcg/day\"]}", "step: '25:00' is not a time of day"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"fire\",\"value\":\"on\"}", "sim takes occlusion, stall, reservoir-switch, chatter, freeze, balance, plant-error, evaporation or noise"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"freeze\",\"value\":\"5\"}", "value: '5' has no unit"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"plant-error\",\"value\":\"-60%\"}", "sim plant-error takes a percent like -2%: -60% is outside -50.0 to 50.0 %"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"balance\",\"value\":\"on\"}", "sim balance takes ok or silent or garbage or overload or unsettled"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"evaporation\",\"value\":\"lots\"}", "sim evaporation takes a rate like 0.3mg/h: \"lots\" is not a number"},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"fly\"}", "accuracy takes start, status or stop, not \"fly\""},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"start\",\"length\":\"5\"}", "length: '5' has no unit"},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"start\",\"density\":\"9g/mL\"}", "density: 9g/mL is outside 0.5 to 2.5 g/mL"},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"start\",\"windows\":\"1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,11m,12m,13m,14m,15m,16m,17m\"}",
                        "windows: at most 16 windows, not 17"},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"start\",\"name\":\"../etc\"}", "name: 1-64 letters"},
                    new String[] {"{\"verb\":\"accuracy\",\"action\":\"status\"}", "this pump has no balance for an accuracy test"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"freeze\",\"value\":\"2m\"}", "sim freeze takes 100ms to 1m of real time, not 2m"},
                    new String[] {"{\"verb\":\"sim\",\"what\":\"freeze\",\"value\":\"10ms\"}", "sim freeze takes 100ms to 1m"},
                    new String[] {"{\"verb\":\"prime\",\"microsteps\":\"0\"}", "microsteps must be a whole number from 1 to 10000000, not \"0\""},
                    new String[] {"{\"verb\":\"prime\",\"microsteps\":\"1e3\"}", "microsteps must be a whole number"},
                    new String[] {"{\"verb\":\"prime\",\"microsteps\":\"99999999999\"}", "microsteps must be a whole number"},
                    new String[] {"{\"verb\":\"prime\",\"microsteps\":1000}", "field \"microsteps\" must be a string"},
                    new String[] {"{\"verb\":\"prime\",\"microsteps\":\"1000\",\"volume\":\"0.1mL\"}", "prime takes a volume or a count of microsteps, not both"},
                    new String[] {"{\"verb\":\"suspend\",\"for\":\"-5m\"}", "for: '-5m' is negative"},
                    new String[] {"{\"verb\":\"status\",\"commit\":\"yes\"}", "unknown field \"commit\""});
            for (String[] c : cases) {
                JsonObject answer = peer.ask(c[0]);
                assertFalse(answer.get("ok").getAsBoolean(), c[0]);
                assertEquals(2, answer.get("code").getAsInt(), c[0]);
                assertTrue(answer.get("error").getAsString().startsWith(c[1]), c[0] + " -> " + answer.get("error").getAsString());
                assertFalse(answer.get("error").getAsString().contains("\n"));
            }
            peer.send(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, '\n'});
            assertEquals("request is not UTF-8 text", peer.answer().get("error").getAsString());
            assertTrue(peer.ask("{\"verb\":\"status\"}").get("ok").getAsBoolean(), "still answering after all that");
        }
    }

    @Test
    void anOversizedLineIsRefusedAndTheConnectionClosed() throws IOException {
        try (Peer peer = new Peer(socket)) {
            peer.send(("{\"verb\":\"status\",\"pad\":\"" + "x".repeat(ControlServer.MAX_LINE_BYTES) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            JsonObject answer = peer.answer();
            assertEquals("request longer than 16384 bytes; connection closed", answer.get("error").getAsString());
            assertEquals(null, peer.answer(), "closed");
        }
        try (Peer again = new Peer(socket)) {
            assertTrue(again.ask("{\"verb\":\"status\"}").get("ok").getAsBoolean());
        }
    }

    @Test
    void aHalfLineThenHangingUpIsNotARequest() throws IOException {
        try (Peer peer = new Peer(socket)) {
            peer.send("{\"verb\":\"sim\",\"what\":\"occlusion\",\"val".getBytes(StandardCharsets.UTF_8));
        }
        try (Peer peer = new Peer(socket)) {
            assertTrue(peer.ask("{\"verb\":\"status\"}").get("ok").getAsBoolean());
        }
        assertFalse(bench.plant.occluded());
    }

    @Test
    void tooManyConnectionsAreTurnedAwayAndIdleOnesAreCutOff() throws Exception {
        List<Peer> idle = new ArrayList<>();
        for (int i = 0; i < ControlServer.MAX_CONNECTIONS; i++) {
            Peer peer = new Peer(socket);
            idle.add(peer);
            assertTrue(peer.ask("{\"verb\":\"status\"}").get("ok").getAsBoolean());
        }
        try (Peer extra = new Peer(socket)) {
            JsonObject answer = extra.answer();
            assertEquals("too many control connections (8); try again", answer.get("error").getAsString());
        }
        // Thirty seconds of silence on the reaper's clock: every idler is closed, and the slots come back.
        reaperClock.advance(Duration.ofSeconds(31));
        for (Peer peer : idle) {
            assertEquals(null, peer.answer(), "cut off");
            peer.close();
        }
        // The server frees a slot when the cut-off connection's thread ends; until then it may still turn us away.
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean served = false;
        while (!served && System.nanoTime() < limit) {
            try (Peer fresh = new Peer(socket)) {
                JsonObject answer = fresh.ask("{\"verb\":\"status\"}");
                served = answer != null && answer.get("ok").getAsBoolean();
            } catch (IOException turnedAway) {
                Thread.sleep(10);
            }
        }
        assertTrue(served, "a slot came free after the idlers were cut off");
    }

    @Test
    void theSocketIsOwnerOnly() throws IOException {
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(socket));
    }

    @Test
    void anotherUserIsRefusedEvenWhenTheFileIsOpenedUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        // The daemon answers a stranger at once and hangs up, so the command may meet a closed socket
        // (EPIPE): that is the refusal too, and the answer is still there to read.
        String script = "import socket\ns=socket.socket(socket.AF_UNIX); s.connect('" + socket + "')\n"
                + "try:\n    s.sendall(b'{\"verb\":\"sim\",\"what\":\"occlusion\",\"value\":\"on\"}\\n')\n"
                + "except (BrokenPipeError, ConnectionResetError):\n    pass\n"
                + "print(s.makefile().readline().strip())";
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(output.contains("may not control this pump"), output);
        assertFalse(bench.plant.occluded(), "nothing was acted on");
    }

    @Test
    void aDaemonStoppingLeavesASocketAnotherDaemonMadeSinceInPlace() throws IOException {
        // The state directory removed under a running daemon, and a second one started there: the first's stop must not cut it off.
        Files.delete(socket);
        ControlService other = new ControlService("x", bench.pump.controller(), bench.pump.supervisor(), Optional.empty(), Optional.empty(),
                bench.config.mechanics().volumePerMicrostep(), 1);
        try (ControlServer second = ControlServer.start(socket, other, reaperClock)) {
            server.close();
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the second daemon's socket is still there");
            try (Peer peer = new Peer(socket)) {
                assertTrue(peer.ask("{\"v\":1,\"verb\":\"status\"}").get("ok").getAsBoolean(), "and it answers");
            }
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "its own stop removes its own socket");
    }

    @Test
    void aSecondDaemonCannotTakeTheSocketButAStaleOneIsReplaced() throws IOException {
        var e = Assertions.assertThrows(IOException.class, () -> ControlServer.start(socket,
                new ControlService("x", bench.pump.controller(), bench.pump.supervisor(), Optional.empty(), Optional.empty(), bench.config.mechanics().volumePerMicrostep(), 1),
                reaperClock));
        assertTrue(e.getMessage().startsWith("another daemon answers on"), e.getMessage());
        Path regular = Files.writeString(dir.resolve("not-a-socket"), "data");
        var notSocket = Assertions.assertThrows(IOException.class, () -> ControlServer.start(regular,
                new ControlService("x", bench.pump.controller(), bench.pump.supervisor(), Optional.empty(), Optional.empty(), bench.config.mechanics().volumePerMicrostep(), 1),
                reaperClock));
        assertTrue(notSocket.getMessage().endsWith("exists and is not a socket; control.socket must name a path of its own"));
        assertEquals("data", Files.readString(regular), "a file that is not a socket is never deleted");
    }
}
