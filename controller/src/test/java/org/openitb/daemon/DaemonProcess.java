package org.openitb.daemon;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.openitb.config.ProjectFiles;
import org.openitb.control.ControlClient;

/** The packaged jar run as a real daemon process in a scratch directory, and its client verbs run as processes too. */
public final class DaemonProcess implements AutoCloseable {

    record Run(int code, String out, String err) {
    }

    final Path dir;
    final Path config;
    final Path socket;
    private Process daemon;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean defaultSigint;

    /**
     * The class-data archive the daemons of one build share, as the unit keeps one in /var/cache/openitb:
     * written at the first clean stop. The JVM will not use one made from an older jar, nor replace it
     * (install.sh removes it on an upgrade), so one older than the jar is removed here.
     */
    private static final Path BUILD_ARCHIVE = freshArchive(Path.of("target", "it-openitb.jsa").toAbsolutePath());

    private static Path freshArchive(Path archive) {
        try {
            if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar())) < 0) {
                Files.delete(archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale class-data archive " + archive, e);
        }
        return archive;
    }

    DaemonProcess(Path dir) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("state/control.sock");
        this.config = dir.resolve("openitb.properties");
        String text = Files.readString(ProjectFiles.exampleConfig())
                .replace("state.dir = state", "state.dir = " + dir.resolve("state"))
                .replace("control.socket = state/control.sock", "control.socket = " + socket);
        Files.writeString(config, text);
        jvmOptions.addAll(unitOptions(BUILD_ARCHIVE));
    }

    /**
     * The systemd unit's JVM options (heap cap, collector, C1 only, ...), so a daemon under test runs as
     * on the Pi, with its class-data archive at {@code archive} (none if null) and the log config from
     * the project instead of /etc.
     */
    static List<String> unitOptions(Path archive) throws IOException {
        List<String> options = new ArrayList<>();
        for (String o : ServiceUnitTest.jvmOptions()) {
            if (o.startsWith("-XX:SharedArchiveFile=") || o.equals("-XX:+AutoCreateSharedArchive")) {
                if (archive != null) {
                    options.add(o.startsWith("-XX:Shared") ? "-XX:SharedArchiveFile=" + archive : o);
                }
            } else if (o.startsWith("-Dtinylog.configuration=")) {
                options.add("-Dtinylog.configuration=" + ProjectFiles.root().resolve("config/tinylog.properties"));
            } else {
                options.add(o);
            }
        }
        return options;
    }

    /** Replaces one key's line in this daemon's config, for a test that needs another value than the example's. */
    DaemonProcess configure(String key, String value) throws IOException {
        String text = Files.readString(config);
        String changed = text.replaceAll("(?m)^" + Pattern.quote(key) + "\\s*=.*$", key + " = " + value);
        if (changed.equals(text)) {
            throw new IllegalArgumentException("the example config has no line for " + key);
        }
        Files.writeString(config, changed);
        return this;
    }

    public static Path jar() {
        return Path.of(System.getProperty("openitb.jar", "target/openitb.jar")).toAbsolutePath();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Sets an environment variable for the daemons started from now on (as systemd sets NOTIFY_SOCKET). */
    DaemonProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The daemons started from now on take SIGINT as a terminal's Ctrl-C, whatever this build inherited. */
    DaemonProcess withDefaultSigint() {
        defaultSigint = true;
        return this;
    }

    /** JVM options for the daemons started from now on, instead of the unit's. */
    DaemonProcess jvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    /** Starts {@code simulate --speed speed} and waits until its control socket answers. */
    DaemonProcess simulate(long speed, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (defaultSigint) {
            // A build started in the background (nohup, a CI runner) ignores SIGINT, the daemon inherits that and the
            // JVM then leaves Ctrl-C ignored: env puts it back to the default, as on a terminal, and execs java.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "simulate", "--config", config.toString(), "--speed", Long.toString(speed)));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.err").toFile()));
        builder.environment().putAll(environment);
        daemon = builder.start();
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < limit) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + daemon.exitValue() + ": " + log());
            }
            try {
                if (request(verbRequest("status")).get("ok").getAsBoolean()) {
                    return this;
                }
            } catch (ControlClient.UnreachableException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the daemon did not answer within 60 s: " + log());
    }

    /** Sends one request over the control socket from this process: no JVM start, so it answers within milliseconds. */
    JsonObject request(JsonObject request) throws ControlClient.UnreachableException {
        return ControlClient.exchange(socket, request);
    }

    private static JsonObject verbRequest(String verb) {
        JsonObject o = new JsonObject();
        o.addProperty("verb", verb);
        return o;
    }

    /** A bolus request committed at once, as {@code bolus --yes} sends it. */
    static JsonObject bolusRequest(String dose, String over) {
        JsonObject o = verbRequest("bolus");
        o.addProperty("dose", dose);
        o.addProperty("over", over);
        o.addProperty("commit", true);
        return o;
    }

    /** A continuous program committed at once, as {@code program continuous --yes} sends it. */
    static JsonObject programRequest(String dose, String concentration) {
        JsonObject o = verbRequest("program");
        o.addProperty("mode", "continuous");
        o.addProperty("dose", dose);
        o.addProperty("concentration", concentration);
        o.addProperty("commit", true);
        return o;
    }

    /** A refill declared and committed at once, as {@code refill --volume V --concentration C --yes} sends it. */
    static JsonObject refillRequest(String volume, String concentration) {
        JsonObject o = verbRequest("refill");
        o.addProperty("volume", volume);
        o.addProperty("concentration", concentration);
        o.addProperty("commit", true);
        return o;
    }

    /**
     * The clinician primes the catheter's dead volume (connected), as before a first program, and waits
     * (up to a minute of real time) until the priming is done: from then on the drug reaches the patient.
     */
    void primeCatheter(String volume) throws Exception {
        JsonObject o = verbRequest("prime");
        o.addProperty("volume", volume);
        o.addProperty("commit", true);
        JsonObject answer = request(o);
        if (!answer.get("ok").getAsBoolean()) {
            throw new IllegalStateException("the priming was refused: " + answer);
        }
        long until = System.nanoTime() + 60_000_000_000L;
        while (!status().get("bolus").isJsonNull()) {
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("the priming did not finish within a minute: " + status());
            }
            Thread.sleep(50);
        }
    }

    /** A fault for the simulated bench, as {@code sim WHAT VALUE} sends it. */
    static JsonObject simRequest(String what, String value) {
        JsonObject o = verbRequest("sim");
        o.addProperty("what", what);
        o.addProperty("value", value);
        return o;
    }

    /** The journal as {@code history --json --limit 1000} prints it, run as a client process. */
    JsonArray history() throws IOException, InterruptedException {
        Run history = openitb("history", "--json", "--limit", "1000");
        if (history.code() != 0) {
            throw new IllegalStateException("history exited with " + history.code() + ": " + history.err());
        }
        return JsonParser.parseString(history.out()).getAsJsonArray();
    }

    /** The daemon's {@code status} object, asked over the socket. */
    JsonObject status() throws ControlClient.UnreachableException {
        JsonObject answer = request(verbRequest("status"));
        if (!answer.get("ok").getAsBoolean()) {
            throw new IllegalStateException("status failed: " + answer);
        }
        return answer.getAsJsonObject("status");
    }

    /**
     * The status once {@code span} of the pump's time has passed since {@code from} on its clock:
     * a busy host slows a simulation (its clock waits for late loops), so real time is no measure.
     * Gives up after {@code realTimeout} of real time, returning the last status read.
     */
    JsonObject statusAfter(Instant from, Duration span, Duration realTimeout)
            throws ControlClient.UnreachableException, InterruptedException {
        long giveUp = System.nanoTime() + realTimeout.toNanos();
        JsonObject s = status();
        while (Instant.parse(s.get("at").getAsString()).isBefore(from.plus(span)) && System.nanoTime() - giveUp < 0) {
            Thread.sleep(100);
            s = status();
        }
        return s;
    }

    long pid() {
        return daemon.pid();
    }

    /** SIGKILL: no shutdown hook, no last write, as a crash or a power cut leaves it. */
    void kill() throws InterruptedException {
        daemon.destroyForcibly();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the daemon survived SIGKILL for 30 s");
        }
    }

    /** Fails with the client's own words unless it exited 0. */
    static Run assertOk(Run run) {
        Assertions.assertEquals(0, run.code(), () -> "exit " + run.code() + ": " + run.err().strip());
        return run;
    }

    /** Runs {@code openitb args...} with this config as a separate process. */
    Run openitb(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("openitb " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Stops the daemon as systemd would (SIGTERM) and returns its exit code. */
    int stop() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            throw new IllegalStateException("the daemon did not stop on SIGTERM within 30 s");
        }
        return daemon.exitValue();
    }

    /** Stops the daemon as Ctrl-C on its terminal would (SIGINT) and returns its exit code. */
    int interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(daemon.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -INT " + daemon.pid() + " failed");
        }
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            throw new IllegalStateException("the daemon did not stop on SIGINT within 30 s");
        }
        return daemon.exitValue();
    }

    String log() {
        try {
            return Files.readString(dir.resolve("daemon.out")) + Files.readString(dir.resolve("daemon.err"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroyForcibly();
            try {
                daemon.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
