package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.config.ProjectFiles;
import org.openitb.telemetry.Certificates;
import org.openitb.telemetry.Connections;
import org.openitb.telemetry.Mosquitto;
import org.openitb.telemetry.MqttProbe;
import org.openitb.telemetry.MqttSettings;

/**
 * The shipped Mosquitto example ({@code config/mosquitto/}) with TLS, passwords and its ACL, and
 * the pump logging in as itself: host names are verified, a wrong password is refused, a foreign
 * client cannot acknowledge nor pose as the pump, a caregiver can acknowledge, and a pump reads no
 * other pump's commands. Denied publishes are acknowledged silently by the broker, so every ACL
 * check looks at what subscribers receive.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecuredBrokerIT {

    private static final String BASE = "openitb/bench-01/";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long a message that should not arrive is given to arrive anyway. */
    private static final Duration SILENCE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    /** The shipped config with its paths in the scratch directory and its listener on a free loopback port. */
    private Mosquitto shippedBroker(Certificates certs, Path passwd) throws Exception {
        Path etc = ProjectFiles.root().resolve("config/mosquitto");
        Path acl = dir.resolve("acl");
        Files.copy(etc.resolve("acl"), acl);
        String conf = Files.readString(etc.resolve("mosquitto.conf"))
                .replace("/etc/mosquitto/openitb/passwd", passwd.toString())
                .replace("/etc/mosquitto/openitb/acl", acl.toString())
                .replace("/etc/mosquitto/openitb/ca.crt", certs.ca().toString())
                .replace("/etc/mosquitto/openitb/server.crt", certs.serverCert().toString())
                .replace("/etc/mosquitto/openitb/server.key", certs.serverKey().toString())
                .replace("listener 8883", "listener ${port} 127.0.0.1")
                .replace("persistence true", "persistence true\npersistence_location ${dir}/");
        return Mosquitto.start(dir.resolve("broker"), conf);
    }

    private Path passwords() throws Exception {
        Path passwd = Files.createFile(dir.resolve("passwd"));
        for (String user : new String[] {"bench-01", "bench-02", "caregiver"}) {
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", passwd.toString(), user, user + "-secret")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd: " + out);
        }
        return passwd;
    }

    private Path secret(String user) throws Exception {
        Path f = dir.resolve(user + ".password");
        Files.writeString(f, user + "-secret\n");
        return f;
    }

    private MqttSettings login(String url, String user, Certificates certs) throws Exception {
        return MqttSettings.broker(Optional.of(URI.create(url))).withLogin(user, Optional.of(secret(user)), Optional.of(certs.ca()));
    }

    private static MqttClient connect(MqttSettings s) throws Exception {
        MqttClient c = new MqttClient(s.url().orElseThrow().toString(), "check-" + System.nanoTime(), new MemoryPersistence());
        c.connect(Connections.options(s, Optional.empty()));
        return c;
    }

    private MqttProbe probe(Mosquitto broker, String user, Certificates certs, String... filters) throws Exception {
        MqttConnectOptions o = Connections.options(login("ssl://127.0.0.1:" + broker.port(), user, certs), Optional.empty());
        return MqttProbe.subscribe("ssl://127.0.0.1:" + broker.port(), user + "-" + System.nanoTime(), o, filters);
    }

    @Test
    void tlsChecksTheHostNameAndTheBrokerChecksThePassword() throws Exception {
        Certificates certs = Certificates.make(dir.resolve("tls"));
        try (Mosquitto broker = shippedBroker(certs, passwords())) {
            connect(login("ssl://127.0.0.1:" + broker.port(), "caregiver", certs)).disconnect();
            // The certificate names 127.0.0.1 only: the same broker by another name is refused.
            MqttException wrongName = assertThrows(MqttException.class,
                    () -> connect(login("ssl://localhost:" + broker.port(), "caregiver", certs)));
            assertTrue(Connections.describe(wrongName).contains("No name matching localhost"), Connections.describe(wrongName));
            Files.writeString(dir.resolve("wrong.password"), "guess\n");
            MqttSettings wrong = MqttSettings.broker(Optional.of(URI.create("ssl://127.0.0.1:" + broker.port())))
                    .withLogin("caregiver", Optional.of(dir.resolve("wrong.password")), Optional.of(certs.ca()));
            MqttException refused = assertThrows(MqttException.class, () -> connect(wrong));
            assertEquals("the broker refused the login (wrong user name or password, or not allowed)", Connections.describe(refused));
            // Without the CA, the broker's certificate is not trusted.
            MqttSettings untrusted = MqttSettings.broker(Optional.of(URI.create("ssl://127.0.0.1:" + broker.port())))
                    .withLogin("caregiver", Optional.of(secret("caregiver")), Optional.empty());
            assertThrows(MqttException.class, () -> connect(untrusted));
        }
    }

    /**
     * A pump told to use TLS never speaks plaintext instead: pointed at a broker that offers only
     * plaintext, it does not connect, says why, and a plaintext listener hears nothing from it.
     */
    @Test
    void aPumpConfiguredForTlsNeverFallsBackToPlaintext() throws Exception {
        Certificates certs = Certificates.make(dir.resolve("tls"));
        Files.createDirectories(dir.resolve("pump"));
        Files.createDirectories(dir.resolve("plain"));
        try (Mosquitto plain = Mosquitto.open(dir.resolve("plain"));
                MqttProbe listener = MqttProbe.subscribe(plain.url(), "#");
                DaemonProcess d = new DaemonProcess(dir.resolve("pump"))
                        .configure("mqtt.url", "ssl://127.0.0.1:" + plain.port())
                        .configure("mqtt.username", "bench-01")
                        .configure("mqtt.password-file", secret("bench-01").toString())
                        .configure("mqtt.tls.ca-file", certs.ca().toString())
                        .simulate(60)) {
            assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
            assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
            assertTrue(d.request(DaemonProcess.simRequest("reservoir-switch", "low")).get("ok").getAsBoolean()); // an alarm to send
            assertTrue(listener.awaitOptional(Duration.ofSeconds(5), r -> r.topic().startsWith("openitb/")).isEmpty(),
                    "nothing reached the plaintext broker: " + listener.received());
            long until = System.nanoTime() + WAIT.toNanos();
            while (!d.log().contains("cannot reach the MQTT broker ssl://127.0.0.1:" + plain.port()) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(d.log().contains("cannot reach the MQTT broker ssl://127.0.0.1:" + plain.port()), "it says why: " + d.log());
            assertFalse(d.log().contains("connected to the MQTT broker"), "it never connected: " + d.log());
            assertFalse(d.log().contains("bench-01-secret"), "the password is not logged");
            assertEquals("delivering", d.status().get("state").getAsString(), "the pump itself runs on");
        }
    }

    @Test
    void theAclKeepsEachClientToItsOwnTopicsAndACaregiverAcknowledges() throws Exception {
        Certificates certs = Certificates.make(dir.resolve("tls"));
        Files.createDirectories(dir.resolve("pump"));
        try (Mosquitto broker = shippedBroker(certs, passwords());
                MqttProbe caregiver = probe(broker, "caregiver", certs, "openitb/#");
                MqttProbe intruder = probe(broker, "bench-02", certs, "openitb/#");
                MqttProbe otherPumpsCommands = probe(broker, "bench-01", certs, "openitb/bench-02/cmd/#");
                DaemonProcess d = new DaemonProcess(dir.resolve("pump"))
                        .configure("mqtt.url", "ssl://127.0.0.1:" + broker.port())
                        .configure("mqtt.username", "bench-01")
                        .configure("mqtt.password-file", secret("bench-01").toString())
                        .configure("mqtt.tls.ca-file", certs.ca().toString())
                        .simulate(60)) {
            try {
                caregiver.await("the pump online over TLS", WAIT, r -> r.topic().equals(BASE + "status") && r.payload().equals("online"));
                assertTrue(d.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
                d.primeCatheter("0.2mL");
                assertTrue(d.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
                assertTrue(d.request(DaemonProcess.simRequest("occlusion", "on")).get("ok").getAsBoolean());
                JsonObject raised = caregiver.await("OCCLUSION raised", WAIT, r -> r.topic().equals(BASE + "alarm")
                        && r.json().get("type").getAsString().equals("OCCLUSION") && r.json().get("state").getAsString().equals("raised")).json();
                assertTrue(intruder.on(BASE + "alarm").isEmpty(), "a client without ACL rights reads nothing of bench-01");

                // The intruder can neither acknowledge nor pose as the pump.
                intruder.publish(BASE + "cmd/ack", "{\"id\":\"" + raised.get("alarmId").getAsString() + "\",\"by\":\"intruder\"}", false);
                intruder.publish(BASE + "alarm", "{\"id\":\"FAKE.1\",\"type\":\"OCCLUSION\",\"state\":\"cleared\"}", false);
                intruder.publish(BASE + "status", "offline", true);
                assertTrue(caregiver.awaitOptional(SILENCE, r -> r.payload().contains("intruder") || r.payload().contains("FAKE.1")
                        || (r.topic().equals(BASE + "status") && r.payload().equals("offline"))).isEmpty(),
                        "nothing the intruder published reached a subscriber");
                assertTrue(d.status().getAsJsonArray("activeAlarms").get(0).getAsJsonObject().get("state").getAsString().equals("raised"),
                        "the intruder's acknowledgement was not acted on");

                // A pump reads no other pump's commands.
                caregiver.publish("openitb/bench-02/cmd/ack", "{\"id\":\"OCC-X\",\"by\":\"caregiver\"}", false);
                assertTrue(otherPumpsCommands.awaitOptional(SILENCE, r -> true).isEmpty(), "bench-01 cannot read bench-02's commands");

                // The caregiver acknowledges, and it is journaled with the name given.
                caregiver.publish(BASE + "cmd/ack", "{\"id\":\"" + raised.get("alarmId").getAsString() + "\",\"by\":\"Ada\"}", false);
                JsonObject acked = caregiver.await("OCCLUSION acknowledged", WAIT, r -> r.topic().equals(BASE + "alarm")
                        && r.json().get("type").getAsString().equals("OCCLUSION") && r.json().get("state").getAsString().equals("acknowledged")).json();
                assertEquals("Ada (mqtt)", acked.get("acknowledgedBy").getAsString());

                // Nothing secret is written anywhere a person or a monitor reads: log, status, journal, telemetry.
                String everything = d.log() + d.status() + d.history() + caregiver.received();
                for (String secret : List.of("bench-01-secret", "caregiver-secret", "PRIVATE KEY",
                        Files.readString(certs.serverKey()).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow())) {
                    assertFalse(everything.contains(secret), "a secret leaked: " + secret);
                }
            } catch (AssertionError | Exception e) {
                String log = d.log();
                throw new AssertionError(e.getMessage() + "\n--- daemon log:\n" + log.substring(Math.max(0, log.length() - 3_000))
                        + "\n--- broker log:\n" + broker.log(), e);
            }
        }
    }
}
