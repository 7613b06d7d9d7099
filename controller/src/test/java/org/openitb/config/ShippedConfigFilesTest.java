package org.openitb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.telemetry.Certificates;
import org.openitb.telemetry.Connections;
import org.openitb.telemetry.Mosquitto;
import org.openitb.telemetry.MqttSettings;

/** Every file in config/ is loaded by the program that will read it; a file no test knows how to load fails here. */
class ShippedConfigFilesTest {

    @TempDir
    Path scratch;
    private boolean mosquittoChecked;

    @Test
    void everyFileInConfigIsLoaded() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ProjectFiles.root().resolve("config"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String name = ProjectFiles.root().resolve("config").relativize(file).toString();
            switch (name) {
                case "openitb.properties" -> ConfigLoader.load(file);
                case "tinylog.properties" -> checkTinylogConfig(file);
                case "jvm.options" -> checkJvmOptions(file);
                case "mosquitto/mosquitto.conf", "mosquitto/acl" -> mosquittoChecked = mosquittoChecked || checkMosquittoConfig();
                default -> fail("config/" + name + " is shipped but no test loads it; teach ShippedConfigFilesTest how");
            }
        }
    }

    /**
     * Starts Mosquitto with the shipped config and ACL (paths moved to a scratch directory, the
     * listener to a free loopback port) and connects over TLS with a login: Mosquitto refuses to
     * start on a config or ACL it cannot read. SecuredBrokerIT checks what the rules allow.
     */
    private boolean checkMosquittoConfig() throws Exception {
        Path etc = ProjectFiles.root().resolve("config/mosquitto");
        var certs = Certificates.make(scratch.resolve("tls"));
        Path passwd = Files.createFile(scratch.resolve("passwd"));
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", passwd.toString(), "caregiver", "secret").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd");
        String conf = Files.readString(etc.resolve("mosquitto.conf"))
                .replace("/etc/mosquitto/openitb/passwd", passwd.toString())
                .replace("/etc/mosquitto/openitb/acl", etc.resolve("acl").toString())
                .replace("/etc/mosquitto/openitb/ca.crt", certs.ca().toString())
                .replace("/etc/mosquitto/openitb/server.crt", certs.serverCert().toString())
                .replace("/etc/mosquitto/openitb/server.key", certs.serverKey().toString())
                .replace("listener 8883", "listener ${port} 127.0.0.1")
                .replace("persistence true", "persistence true\npersistence_location ${dir}/");
        assertFalse(conf.lines().anyMatch(l -> !l.startsWith("#") && l.contains("/etc/mosquitto/openitb/")),
                "every path of the example is one the test knows: " + conf);
        try (var broker = Mosquitto.start(scratch.resolve("broker"), conf)) {
            Files.writeString(scratch.resolve("password"), "secret\n");
            var settings = MqttSettings.broker(Optional.of(URI.create("ssl://127.0.0.1:" + broker.port())))
                    .withLogin("caregiver", Optional.of(scratch.resolve("password")), Optional.of(certs.ca()));
            var client = new MqttClient(settings.url().get().toString(), "config-check",
                    new MemoryPersistence());
            client.connect(Connections.options(settings, Optional.empty()));
            client.disconnect();
            client.close();
        }
        return true;
    }

    /** Starts a JVM on the file, as the unit and scripts/openitb do ({@code java @jvm.options}): it must take every option. */
    private static void checkJvmOptions(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + file,
                "-XX:+PrintCommandLineFlags", "-version").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM finished");
        assertEquals(0, p.exitValue(), "the JVM refuses an option of " + file + ": " + err);
        assertTrue(out.contains("-XX:MaxHeapSize=67108864") && out.contains("-XX:+UseSerialGC") && out.contains("-XX:TieredStopAtLevel=1"),
                "the options are in force: " + out);
        assertFalse(err.contains("warning") || err.contains("Unrecognized"), "nothing the JVM warns about: " + err);
    }

    /** Runs a JVM with the file as its tinylog configuration and looks at what it writes. */
    private static void checkTinylogConfig(Path file) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dtinylog.configuration=" + file, TinylogProbe.class.getName())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String log = new String(err, StandardCharsets.UTF_8);
        assertTrue(log.contains("INFO: [main] TinylogProbe: probe info"), log);
        assertFalse(log.contains("probe debug"), "the daemon logs at info, not debug");
        assertFalse(log.contains("New context builder"), "Pi4J's info chatter is kept out");
        assertTrue(log.contains("WARN: [main] DefaultRuntime: Pi4J context/runtime is already shutdown"),
                "Pi4J's warnings reach the journal through the SLF4J bridge: " + log);
    }
}
