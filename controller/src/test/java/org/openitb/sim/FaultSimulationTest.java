package org.openitb.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fault simulation ({@link FaultSimulator}). As CI runs it: a fixed set of seeds, each a
 * week of simulated time. {@code -Dseed=N} replays one seed (with {@code -Dsim.days=D} if
 * its run was longer); {@code -Dseeds=N} is the long mode: N fresh seeds, each printed before it
 * runs, {@code sim.days} days each (30 by default).
 */
@Timeout(value = 6, unit = TimeUnit.HOURS)
class FaultSimulationTest {

    /** CI's seeds: fixed, so a red build is the code's doing, not a new draw's. */
    private static final long[] CI_SEEDS = LongStream.rangeClosed(1, 8).toArray();
    private static final int CI_DAYS = 7;

    @TempDir
    Path dir;

    /** The one-line command that runs {@code seed} again. */
    static String replayCommand(long seed, Duration length) {
        long days = Math.max(1, length.toDays());
        return "mvn -B -q install -DskipTests -pl drivers -am && mvn -B verify -pl controller -DskipITs -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dtest=FaultSimulationTest -Dseed=" + seed + (days == CI_DAYS ? "" : " -Dsim.days=" + days);
    }

    @Test
    void everySeedKeepsEveryInvariant() throws Exception {
        int days = Integer.getInteger("sim.days", System.getProperty("seeds") == null ? CI_DAYS : 30);
        List<Long> seeds = new ArrayList<>();
        if (System.getProperty("seed") != null) {
            seeds.add(Long.getLong("seed"));
        } else if (System.getProperty("seeds") != null) {
            Random fresh = new Random();
            for (int i = 0; i < Integer.getInteger("seeds"); i++) {
                seeds.add(fresh.nextLong() & Long.MAX_VALUE);
            }
        } else {
            for (long s : CI_SEEDS) {
                seeds.add(s);
            }
        }
        long start = System.nanoTime();
        double simulatedDays = 0;
        long microsteps = 0;
        long alarms = 0;
        int commands = 0;
        int faults = 0;
        int restarts = 0;
        int clockChanges = 0;
        for (long seed : seeds) {
            System.out.println("fault simulation seed " + seed + " (" + days + " days) ...");
            Path stateDir = Files.createTempDirectory(dir, "seed-" + seed + "-");
            FaultSimulator.Result r = FaultSimulator.run(seed, Duration.ofDays(days), stateDir);
            System.out.println("  " + r.line());
            simulatedDays += r.simulated().toMinutes() / 1440.0;
            microsteps += r.microsteps();
            alarms += r.alarmEvents();
            commands += r.commands();
            faults += r.faults();
            restarts += r.restarts();
            clockChanges += r.clockChanges();
        }
        System.out.printf("fault simulation: %d seeds, %.0f simulated days, %d commands, %d faults, %d restarts, %d daylight-saving changes,"
                + " %d microsteps, %d alarm events, every invariant held (%.0f s)%n", seeds.size(), simulatedDays, commands, faults, restarts,
                clockChanges, microsteps, alarms, (System.nanoTime() - start) / 1e9);
        assertTrue(microsteps > 0 && alarms > 0 && faults > 0 && restarts > 0, "the sessions did something");
    }
}
