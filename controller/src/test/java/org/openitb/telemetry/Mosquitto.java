package org.openitb.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for a test, on a free loopback port, with the config lines the test
 * gives; stop and start it again on the same port to make an outage. Fails with a hint when
 * Mosquitto is not installed: tests that need a broker never skip silently.
 */
public final class Mosquitto implements AutoCloseable {

    private final Path dir;
    private final Path conf;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, String lines, int port) throws IOException {
        this.dir = dir;
        this.port = port;
        this.conf = dir.resolve("mosquitto.conf");
        Files.createDirectories(dir);
        Files.writeString(conf, asIs(lines).replace("${port}", Integer.toString(port)).replace("${dir}", dir.toString()));
    }

    /** A broker whose config is {@code lines}, where {@code ${port}} is a free port and {@code ${dir}} the broker's own directory. */
    public static Mosquitto start(Path dir, String lines) throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(dir, lines, freePort());
        m.start();
        return m;
    }

    /** An open broker on loopback: no login, persistence in its directory (sessions and queued messages survive a restart). */
    public static Mosquitto open(Path dir) throws IOException, InterruptedException {
        return start(dir, "listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n");
    }

    /**
     * As root Mosquitto switches to its own user, who cannot write in a test's private directory
     * nor read its keys; {@code user root} keeps it as it is (it has no effect for other users).
     */
    static String asIs(String lines) {
        return "user root\n" + lines;
    }

    public static String executable() {
        for (String candidate : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: the MQTT tests need a real broker (apt-get install mosquitto)");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(executable(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
    }

    /** A clean stop (SIGTERM: the broker saves its persistence). */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
