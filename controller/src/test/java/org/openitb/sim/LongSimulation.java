package org.openitb.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The fault simulator's long mode as a program, for {@code scripts/fault-simulation.sh}, which runs
 * one per core: {@code LongSimulation DAYS DAYS_PER_SEED MASTER_SEED} draws seeds from the master
 * seed until DAYS simulated days have run, prints a line per seed (before it runs, and its outcome)
 * and a {@code TOTAL} line, and exits 1 at the first violation, whose message holds the replay
 * command.
 */
public final class LongSimulation {

    private LongSimulation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LongSimulation DAYS DAYS_PER_SEED MASTER_SEED");
            System.exit(2);
        }
        long days = Long.parseLong(args[0]);
        int perSeed = Integer.parseInt(args[1]);
        Random seeds = new Random(Long.parseLong(args[2]));
        Path scratch = Files.createTempDirectory("openitb-fault-simulation-");
        long simulatedDays = 0;
        long seedsRun = 0;
        long commands = 0;
        long faults = 0;
        long restarts = 0;
        long alarms = 0;
        long clockChanges = 0;
        long start = System.nanoTime();
        try {
            while (simulatedDays < days) {
                long seed = seeds.nextLong() & Long.MAX_VALUE;
                System.out.println("seed " + seed + " (" + perSeed + " days) ...");
                Path stateDir = Files.createTempDirectory(scratch, "seed-");
                FaultSimulator.Result r = FaultSimulator.run(seed, Duration.ofDays(perSeed), stateDir);
                System.out.println("  " + r.line());
                delete(stateDir);
                seedsRun++;
                simulatedDays += perSeed;
                commands += r.commands();
                faults += r.faults();
                restarts += r.restarts();
                alarms += r.alarmEvents();
                clockChanges += r.clockChanges();
            }
        } catch (AssertionError e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        } finally {
            delete(scratch);
        }
        System.out.printf("TOTAL %d seeds %d days %d commands %d faults %d restarts %d alarm-events %d dst-changes %.0f s%n", seedsRun,
                simulatedDays, commands, faults, restarts, alarms, clockChanges, (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }

    private static void delete(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
