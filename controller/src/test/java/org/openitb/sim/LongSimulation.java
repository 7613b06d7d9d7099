package org.openitb.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The fault simulator's long mode as a program, for {@code scripts/fault-simulation.sh}, which runs
 * one per core: {@code LongSimulation DAYS DAYS_PER_SEED MASTER_SEED [SEEDS_DONE]} draws seeds from
 * the master seed until DAYS simulated days have run, prints a line per seed (before it runs, and its
 * outcome with the seconds it took) and a {@code TOTAL} line, and exits 1 at the first violation, whose
 * message holds the replay command.
 *
 * <p>SEEDS_DONE resumes a run that was stopped (a long run outlasts a working session): the first
 * SEEDS_DONE seeds of the master seed's sequence passed in an earlier part and are drawn but not run
 * again, so the run as a whole covers exactly the seeds it would have covered in one go.
 */
public final class LongSimulation {

    private LongSimulation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: LongSimulation DAYS DAYS_PER_SEED MASTER_SEED [SEEDS_DONE]");
            System.exit(2);
        }
        long days = Long.parseLong(args[0]);
        int perSeed = Integer.parseInt(args[1]);
        Random seeds = new Random(Long.parseLong(args[2]));
        long done = args.length == 4 ? Long.parseLong(args[3]) : 0;
        long simulatedDays = 0;
        for (long i = 0; i < done; i++) {
            seeds.nextLong();
            simulatedDays += perSeed;
        }
        if (done > 0) {
            System.out.println("resuming after " + done + " seeds (" + simulatedDays + " days) that passed in an earlier part");
        }
        Path scratch = Files.createTempDirectory("openitb-fault-simulation-");
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
                long seedStart = System.nanoTime();
                FaultSimulator.Result r = FaultSimulator.run(seed, Duration.ofDays(perSeed), stateDir);
                System.out.printf("  %s in %.0f s%n", r.line(), (System.nanoTime() - seedStart) / 1e9);
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
                seedsRun * perSeed, commands, faults, restarts, alarms, clockChanges, (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }

    private static void delete(Path dir) throws IOException {
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
