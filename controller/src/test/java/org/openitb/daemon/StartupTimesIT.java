package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.control.ControlClient;

/**
 * Measures, and prints, how fast the daemon is back: start of the JVM to READY=1 with the unit's
 * own JVM options, with the class-data-sharing archive and without it, and kill -9 to READY and to
 * the first microstep after the restart. Printed, never asserted as timings (the machine is
 * shared); the README's figures come from this output
 * ({@code mvn -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StartupTimesIT} in controller/).
 */
class StartupTimesIT {

    private static final int RUNS = Integer.getInteger("startup.runs", 5);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String summary(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%-44s median %6.0f ms  (min %4.0f, max %4.0f, %d runs)", what,
                ms(sorted[sorted.length / 2]), ms(sorted[0]), ms(sorted[sorted.length - 1]), sorted.length);
    }

    /** Launches the daemon and returns the nanoseconds from launch to READY=1. */
    private static long startToReady(DaemonProcess pump, NotifySocket systemd, long speed) throws Exception {
        int from = systemd.messages().size();
        long launched = System.nanoTime();
        pump.simulate(speed);
        return systemd.await(from, m -> m.has("READY=1"), LIMIT, "READY=1").atNanos() - launched;
    }

    @Test
    void startToReadyAndKillToDosingAgain(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("openitb.jsa");
        long[] cold = new long[RUNS];
        long[] warm = new long[RUNS];
        long[] killToReady = new long[RUNS];
        long[] killToStep = new long[RUNS];
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock")); DaemonProcess pump = new DaemonProcess(dir)) {
            pump.environment("NOTIFY_SOCKET", systemd.path.toString());

            pump.jvmOptions(DaemonProcess.unitOptions(null));
            for (int i = 0; i < RUNS; i++) {
                cold[i] = startToReady(pump, systemd, 1);
                pump.stop();
            }
            // The first clean stop with the unit's options writes the archive (install.sh does this once).
            pump.jvmOptions(DaemonProcess.unitOptions(archive));
            startToReady(pump, systemd, 1);
            pump.stop();
            assertTrue(Files.size(archive) > 0, "the JVM wrote the archive at the clean stop");
            for (int i = 0; i < RUNS; i++) {
                warm[i] = startToReady(pump, systemd, 1);
                pump.stop();
            }

            // Dosing at 60x, so a microstep is due every ~130 ms of real time (400 mcg/day of 500 mcg/mL).
            startToReady(pump, systemd, 60);
            assertTrue(pump.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
            assertTrue(pump.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
            for (int i = 0; i < RUNS; i++) {
                long before = pump.status().get("deliveredMicrosteps").getAsLong();
                long killed = System.nanoTime();
                pump.kill();
                startToReady(pump, systemd, 60);
                killToReady[i] = readyAfter(systemd, killed);
                long restartedAt = pump.status().get("deliveredMicrosteps").getAsLong();
                assertTrue(restartedAt >= before, "counters never go back");
                killToStep[i] = firstStepAfter(pump, restartedAt) - killed;
            }
        }
        System.out.println("Start-up and restart, " + RUNS + " runs each, simulated bench, unit's JVM options ("
                + String.join(" ", DaemonProcess.unitOptions(archive)) + "):");
        System.out.println("  " + summary("start to READY=1, JDK's default CDS only", cold));
        System.out.println("  " + summary("start to READY=1, with the app's CDS archive", warm));
        System.out.println("  " + summary("kill -9 to READY=1 (program recovered)", killToReady));
        System.out.println("  " + summary("kill -9 to the first microstep after restart", killToStep));
        System.out.println("  (the first microstep includes waiting for it: one is due every ~130 ms here;"
                + " under systemd add RestartSec=1s to the kill -9 figures)");
    }

    /** When READY=1 arrived after {@code killed}, as nanoseconds since the kill. */
    private static long readyAfter(NotifySocket systemd, long killed) {
        return systemd.messages().stream().filter(m -> m.has("READY=1") && m.atNanos() > killed).findFirst().orElseThrow().atNanos() - killed;
    }

    /** Polls the socket until a microstep beyond {@code count} has been delivered; returns when it was seen. */
    private static long firstStepAfter(DaemonProcess pump, long count) throws ControlClient.UnreachableException, InterruptedException {
        long limit = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < limit) {
            if (pump.status().get("deliveredMicrosteps").getAsLong() > count) {
                return System.nanoTime();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no microstep within " + LIMIT + " of the restart");
    }
}
