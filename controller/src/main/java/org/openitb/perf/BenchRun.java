package org.openitb.perf;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.openitb.clock.Clock;
import org.openitb.clock.SystemClock;
import org.openitb.config.ConfigException;
import org.openitb.config.PumpConfig;
import org.openitb.daemon.PumpDaemon;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.WriteAheadHealth;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.sim.SimulatedBench;
import org.openitb.store.CommitLatency;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Durations;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * One {@code bench} run, phase after phase, each ours beside its baseline under the same load:
 * the daemon on the simulated bench priming at 500 Hz next to a relative-sleep loop; the dose
 * scheduler at 100 Hz and 1 kHz next to relative-sleep loops; with a broker, occlusion edges to a
 * subscriber; the whole daemon at the maintenance rate, then a busy-wait loop, by process CPU time.
 */
public final class BenchRun {

    static final Duration MIN_DURATION = Duration.ofSeconds(5);
    /** Priming at most 5 mL at 500 Hz and 100 nL per microstep lasts 100 s: the lateness phase fits in it. */
    static final Duration MAX_DURATION = Duration.ofSeconds(90);
    public static final int MIN_CYCLES = 10;
    public static final int MAX_CYCLES = 10_000;
    /** Not measured: the first second, while the JIT compiles the hot paths of both loops. */
    static final Duration WARM_UP = Duration.ofSeconds(1);
    static final long[] RATES_HZ = {100, 1000};
    static final long MAINTENANCE_INTERVAL_NANOS = 8_000_000_000L;
    /**
     * Background garbage while timing, by default: a young collection every half second in a 32 MB
     * heap, several times what the pump allocates by itself (the report prints both).
     */
    public static final int ALLOCATION_MB_PER_SECOND = 16;
    static final int TELEMETRY_EVENTS_PER_SECOND = 20;
    /** The longest wait for the JIT to go quiet before CPU is measured. */
    static final Duration COMPILER_QUIET_MAX = Duration.ofSeconds(5);
    /** How long one alarm transition may take to arrive before the bench gives up. */
    static final Duration ALARM_TIMEOUT = Duration.ofSeconds(5);

    /** The state disk of the second lateness phase: an SD card under load, drawn from a fixed seed. */
    static final String SD_CARD = "sd-card";
    static final long SD_CARD_SEED = 20261202;
    /** The naive baseline writes its count every this many steps, as the old write-ahead batch did. */
    static final int BASELINE_WRITE_EVERY = 64;

    /** The bench's config file cannot be used: bad input, which the command line reports as such. */
    public static final class BadConfig extends RuntimeException {
        BadConfig(String message) {
            super(message);
        }
    }

    /**
     * What to run: how long, against which broker (if any), how many occlusion cycles, on whose
     * wiring, with how many busy threads beside it, and whether the SD-card phase runs.
     */
    public record Settings(Duration duration, Optional<URI> broker, int cycles, Optional<Path> config, int cpuHogs, boolean sdCard,
            int garbageMbPerSecond) {
        public Settings {
            if (garbageMbPerSecond < 0 || garbageMbPerSecond > GarbageMaker.MAX_MB_PER_SECOND) {
                throw new IllegalArgumentException("--garbage " + garbageMbPerSecond + ": must be from 0 to " + GarbageMaker.MAX_MB_PER_SECOND
                        + " MB/s");
            }
            if (cpuHogs < 0 || cpuHogs > CpuHog.MAX_THREADS) {
                throw new IllegalArgumentException("--cpu-hog " + cpuHogs + ": must be from 0 to " + CpuHog.MAX_THREADS);
            }
            if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("--duration " + Durations.format(duration) + ": must be from "
                        + Durations.format(MIN_DURATION) + " to " + Durations.format(MAX_DURATION));
            }
            if (cycles < MIN_CYCLES || cycles > MAX_CYCLES) {
                throw new IllegalArgumentException("--cycles " + cycles + ": must be from " + MIN_CYCLES + " to " + MAX_CYCLES);
            }
        }
    }

    private final Settings settings;
    private final Clock clock = new SystemClock(ZoneOffset.UTC);
    private final Consumer<String> progress;

    private BenchRun(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public static BenchReport run(Settings settings, Consumer<String> progress) throws IOException, InterruptedException {
        return new BenchRun(settings, progress).run();
    }

    private BenchReport run() throws IOException, InterruptedException {
        long wallStart = clock.nanos();
        long d = settings.duration().toNanos();
        Path scratch = Files.createTempDirectory("openitb-bench-");
        try {
            PumpConfig config;
            try {
                config = BenchConfig.of(settings.config(), scratch, settings.broker());
            } catch (ConfigException e) {
                throw new BadConfig(e.getMessage());
            }
            BenchReport.Lateness lateness;
            List<BenchReport.RateError> rates;
            Optional<Latency> alarms = Optional.empty();
            double oursCpu;
            long collections;
            long collectionMillis;
            long allocatedMb;
            long ownAllocatedMb;
            long telemetryEvents;
            CpuHog hog = CpuHog.start(settings.cpuHogs());
            PumpDaemon daemon;
            try {
                daemon = PumpDaemon.start(config, clock, Gpio.mock(), true, 1, e -> { });
            } catch (IOException | RuntimeException e) {
                hog.close();
                throw e;
            }
            try (daemon) {
                awaitUntil(daemon::loopsPassed, Duration.ofSeconds(10), "the daemon did not start its loops");
                long gcCount = ProcessStats.collections();
                long gcMillis = ProcessStats.collectionMillis();
                long allocatedBefore = ProcessStats.allocatedBytes();
                GarbageMaker garbage = GarbageMaker.start(clock, settings.garbageMbPerSecond());
                TelemetryLoad telemetry = TelemetryLoad.start(clock, daemon.store().orElseThrow(
                        () -> new IllegalStateException("the bench daemon has no store")), config.pumpId(), TELEMETRY_EVENTS_PER_SECOND);
                try (garbage; telemetry) {
                    progress.accept("step lateness at 500 Hz: the daemon priming, beside a relative-sleep loop, for "
                            + seconds(d + WARM_UP.toNanos()));
                    lateness = lateness(daemon, config, d, Optional.empty());
                    progress.accept("rate error at 100 Hz and 1 kHz: the dose scheduler beside relative-sleep loops, for " + seconds(d / 2));
                    rates = rates(config, d / 2);
                    if (settings.broker().isPresent()) {
                        progress.accept("alarm latency: " + settings.cycles() + " occlusion cycles through " + settings.broker().get());
                        alarms = Optional.of(AlarmLatencyBench.measure(daemon, config, clock, settings.cycles(), ALARM_TIMEOUT));
                    }
                }
                collections = ProcessStats.collections() - gcCount;
                collectionMillis = ProcessStats.collectionMillis() - gcMillis;
                allocatedMb = garbage.allocatedBytes() / 1_000_000;
                long allocatedAfter = ProcessStats.allocatedBytes();
                ownAllocatedMb = allocatedBefore < 0 || allocatedAfter < 0 ? -1
                        : Math.max(0, allocatedAfter - allocatedBefore - garbage.allocatedBytes()) / 1_000_000;
                telemetryEvents = telemetry.events();
                hog.close(); // nothing else running while the CPU of dosing is measured
                progress.accept("CPU at one step every 8 s: the whole daemon, nothing else running, for " + seconds(d / 2));
                oursCpu = maintenanceCpu(daemon, d / 2);
            }
            progress.accept("CPU at one step every 8 s: a busy-wait loop, for " + seconds(d / 4));
            double baselineCpu = busyWaitCpu(config, d / 4);
            Optional<BenchReport.SlowDisk> sdCard = settings.sdCard() ? Optional.of(sdCard(scratch, d)) : Optional.empty();
            long heap = ProcessStats.liveHeapBytes();
            OptionalLong rss = ProcessStats.residentBytes();
            BenchReport.Cpu cpu = new BenchReport.Cpu(oursCpu, baselineCpu);
            BenchReport.Load load = new BenchReport.Load(d / 1_000_000, (clock.nanos() - wallStart) / 1_000_000,
                    Runtime.version().toString(), Runtime.getRuntime().availableProcessors(), ProcessStats.maxHeapBytes(),
                    ProcessStats.collectors(), collections, collectionMillis, allocatedMb, ownAllocatedMb, telemetryEvents,
                    settings.broker().map(URI::toString), settings.cpuHogs());
            return new BenchReport(lateness, sdCard, rates, cpu, heap, rss, alarms, load);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * The lateness phase again, the daemon's state disk played as an SD card under load (both of
     * its lanes), beside a loop that writes its count to such a disk every 64 steps and waits for it.
     */
    private BenchReport.SlowDisk sdCard(Path scratch, long d) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(scratch.resolve("sd-card"));
        PumpConfig config;
        try {
            config = BenchConfig.of(settings.config(), dir, Optional.empty());
        } catch (ConfigException e) {
            throw new BadConfig(e.getMessage());
        }
        progress.accept("step lateness at 500 Hz on an SD card (commits ~5 ms median, ~200 ms p99, a 1 s stall in "
                + CommitLatency.SD_STALL_ONE_IN + "), beside a loop that writes every " + BASELINE_WRITE_EVERY
                + " steps, for " + seconds(d + WARM_UP.toNanos()));
        try (CpuHog hog = CpuHog.start(settings.cpuHogs());
                PumpDaemon daemon = PumpDaemon.start(config, clock, Gpio.mock(), true, 1, e -> { },
                        CommitLatency.parse(SD_CARD, SD_CARD_SEED))) {
            awaitUntil(daemon::loopsPassed, Duration.ofSeconds(10), "the daemon did not start its loops");
            BenchReport.Lateness l = lateness(daemon, config, d, Optional.of(CommitLatency.sdCard(SD_CARD_SEED + 7)));
            WriteAheadHealth w = daemon.pump().controller().status().health().writeAhead();
            return new BenchReport.SlowDisk(SD_CARD, l, w.commitLatencyNanos() / 1_000_000, w.uncoveredPeakMicrosteps(), w.boundMicrosteps(),
                    w.beyondBoundSteps());
        }
    }

    /**
     * The daemon primes at 500 Hz while a relative-sleep loop steps its own rig at 2 ms; both timed
     * at STEP. With {@code baselineDisk}, the baseline also writes its count to that disk every
     * {@link #BASELINE_WRITE_EVERY} steps and waits for it.
     */
    private BenchReport.Lateness lateness(PumpDaemon daemon, PumpConfig config, long d, Optional<CommitLatency> baselineDisk)
            throws InterruptedException {
        SimulatedBench bench = daemon.bench().orElseThrow();
        long run = WARM_UP.toNanos() + d;
        int capacity = (int) (BenchConfig.PRIMING_HZ * (run / 1_000_000_000L + 5));
        RiseRecorder ours = new RiseRecorder(capacity);
        bench.onMicrostep(ours);
        long before = daemon.pump().controller().status().counts().deliveredMicrosteps();
        // Exactly the priming that lasts the phase: it ends on its own.
        long microsteps = BenchConfig.PRIMING_HZ * run / 1_000_000_000L;
        Volume volume = new Volume(microsteps * config.mechanics().volumePerMicrostep().picolitres());
        long interval = 1_000_000_000L / BenchConfig.PRIMING_HZ;
        // A fresh pump on a bench, nothing connected: the syringe declared, the priming into the open.
        apply(daemon, new TherapyCommand.Refill(config.mechanics().syringeCapacity(), Concentration.parse(BenchConfig.MAINTENANCE_CONCENTRATION),
                Optional.empty()));
        try (StepRig rig = StepRig.open(config.stepper(), clock, capacity)) {
            long start = clock.nanos();
            apply(daemon, new TherapyCommand.Prime(volume, true));
            // The answer comes before the loop publishes its next status: wait for the priming plan itself.
            awaitUntil(() -> daemon.pump().controller().status().plan().bolusRunningAt(clock.nanos()), Duration.ofSeconds(5),
                    "the bench's priming did not start");
            DeliveryPlan plan = daemon.pump().controller().status().plan();
            Histogram floorUs;
            try (EmptyLoop empty = EmptyLoop.start(clock, (int) (run / EmptyLoop.INTERVAL_NANOS + 100));
                    RelativeSleepStepping baseline = baselineDisk.isPresent()
                    ? RelativeSleepStepping.startWriting(rig, clock, interval, baselineDisk.get(), BASELINE_WRITE_EVERY)
                    : RelativeSleepStepping.start(rig, clock, interval)) {
                waitFor(start + run);
                floorUs = empty.latenessUs(start + WARM_UP.toNanos(), start + run);
            }
            long from = start + WARM_UP.toNanos();
            long end = start + run;
            // Steps made by the end of the window against those due by then (a few microseconds' grace for the last one).
            long grace = 1_000_000L;
            BenchReport.Share oursDue = new BenchReport.Share(plan.target(end) - before, ours.until(end + grace));
            RiseRecorder made = rig.rises();
            BenchReport.Share baselineDue = new BenchReport.Share(made.recorded() == 0 ? 0 : 1 + (end - made.rise(0)) / interval,
                    made.until(end + grace));
            Histogram oursUs = Latency.histogram();
            for (int i = 0; i < ours.recorded(); i++) {
                long rise = ours.rise(i);
                if (rise - from >= 0 && rise - end <= 0) {
                    long late = rise - plan.timeOfMicrostep(before + i + 1);
                    if (late < 0) {
                        throw new IllegalStateException("microstep " + (before + i + 1) + " rose " + (-late) + " ns before its deadline: "
                                + "the bench timed it against the wrong plan");
                    }
                    Latency.record(oursUs, late / 1_000);
                }
            }
            Histogram baselineUs = Latency.histogram();
            RiseRecorder base = rig.rises();
            for (int i = 1; i < base.recorded(); i++) {
                long rise = base.rise(i);
                if (rise - from >= 0 && rise - end <= 0) {
                    Latency.record(baselineUs, (rise - base.rise(i - 1) - interval) / 1_000);
                }
            }
            awaitUntil(() -> daemon.pump().controller().status().running().bolus().isEmpty(), Duration.ofSeconds(10), "the bench's priming did not end");
            requireSteps("the daemon", oursUs.getTotalCount(), d, BenchConfig.PRIMING_HZ);
            requireSteps("the relative-sleep baseline", baselineUs.getTotalCount(), d, BenchConfig.PRIMING_HZ);
            long over = BenchReport.TARGET_P999_US;
            BenchReport.Floor floor = new BenchReport.Floor(Latency.of(floorUs), Latency.countAbove(floorUs, over), Latency.countAbove(oursUs, over));
            return new BenchReport.Lateness(Latency.of(oursUs), Latency.of(baselineUs), oursDue, baselineDue, floor);
        }
    }

    /** Percentiles of too few steps would read as a result: a loop that stepped far less than asked is a failed bench. */
    private static void requireSteps(String who, long measured, long d, long hz) {
        long expected = hz * d / 1_000_000_000L;
        if (measured < expected / 2) {
            throw new IllegalStateException(who + " made " + measured + " steps in the measured window where about " + expected
                    + " were due; no percentiles are given for it");
        }
    }

    /** The dose scheduler and a relative-sleep loop at each bench rate, all at once, counted at the end of the window. */
    private List<BenchReport.RateError> rates(PumpConfig config, long d) throws InterruptedException {
        List<StepRig> rigs = new ArrayList<>();
        List<AutoCloseable> loops = new ArrayList<>();
        List<ScheduledStepping> ours = new ArrayList<>();
        try {
            long start = clock.nanos();
            for (long hz : RATES_HZ) {
                int capacity = (int) (hz * (d / 1_000_000_000L + 5));
                StepRig mine = StepRig.open(config.stepper(), clock, capacity);
                StepRig theirs = StepRig.open(config.stepper(), clock, capacity);
                rigs.add(mine);
                rigs.add(theirs);
                // Twice the rate as the limit: a late pass is caught up, but never faster than that.
                ScheduledStepping s = ScheduledStepping.start(mine, clock, DeliverySink.NONE, hz, 2 * hz, start);
                ours.add(s);
                loops.add(s);
                loops.add(RelativeSleepStepping.start(theirs, clock, 1_000_000_000L / hz));
            }
            // Half an interval past a deadline of both rates: a step due at the very end, emitted a few µs
            // after it, would count as missing though it was on time.
            long end = start + d + 500_000_000L / RATES_HZ[RATES_HZ.length - 1];
            waitFor(end + 50_000_000L);
            List<BenchReport.RateError> errors = new ArrayList<>();
            for (int i = 0; i < RATES_HZ.length; i++) {
                ScheduledStepping s = ours.get(i);
                s.failure().ifPresent(f -> {
                    throw new IllegalStateException("the bench's dose loop failed: " + f, f);
                });
                RiseRecorder mine = rigs.get(2 * i).rises();
                RiseRecorder theirs = rigs.get(2 * i + 1).rises();
                long hz = RATES_HZ[i];
                // The baseline's ideal counts from its own first step (at once when it started).
                long theirsIdeal = theirs.recorded() == 0 ? 0 : 1 + (end - theirs.rise(0)) * hz / 1_000_000_000L;
                errors.add(new BenchReport.RateError(hz, s.target(end), mine.until(end), theirsIdeal, theirs.until(end)));
            }
            return errors;
        } finally {
            for (AutoCloseable loop : loops) {
                closeQuietly(loop);
            }
            rigs.forEach(StepRig::close);
        }
    }

    /** Process CPU of the whole daemon dosing one microstep every 8 s, with nothing else running. */
    private double maintenanceCpu(PumpDaemon daemon, long d) throws InterruptedException {
        apply(daemon, new TherapyCommand.Refill(Volume.parse("20mL"), Concentration.parse(BenchConfig.MAINTENANCE_CONCENTRATION), Optional.empty()));
        apply(daemon, new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse(BenchConfig.MAINTENANCE_RATE),
                Concentration.parse(BenchConfig.MAINTENANCE_CONCENTRATION))));
        long micro = daemon.pump().controller().status().plan().microstepsPerSecondAt(clock.nanos());
        if (micro > 1) {
            throw new IllegalStateException("the maintenance program asks " + micro + " microsteps/s; one every 8 s was meant");
        }
        waitFor(clock.nanos() + 1_000_000_000L); // let the command's writes settle
        awaitCompilerQuiet();
        return cpuPercentOver(d);
    }

    /** Process CPU of a busy-wait loop stepping every 8 s on a rig, the daemon gone. */
    private double busyWaitCpu(PumpConfig config, long d) throws InterruptedException {
        try (StepRig rig = StepRig.open(config.stepper(), clock, 16);
                BusyWaitStepping loop = BusyWaitStepping.start(rig, clock, MAINTENANCE_INTERVAL_NANOS, clock.nanos())) {
            waitFor(clock.nanos() + 100_000_000L);
            return cpuPercentOver(d);
        }
    }

    /**
     * The JIT still compiling what the earlier phases ran is start-up work, not the cost of
     * dosing: wait (up to {@link #COMPILER_QUIET_MAX}) until it has been idle for half a second.
     */
    private void awaitCompilerQuiet() throws InterruptedException {
        long end = clock.nanos() + COMPILER_QUIET_MAX.toNanos();
        long last = ProcessStats.compilationMillis();
        while (clock.nanos() - end < 0) {
            waitFor(clock.nanos() + 500_000_000L);
            long now = ProcessStats.compilationMillis();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    private double cpuPercentOver(long d) throws InterruptedException {
        ProcessStats.CpuTime before = ProcessStats.cpuTime();
        long t0 = clock.nanos();
        waitFor(t0 + d);
        ProcessStats.CpuTime after = ProcessStats.cpuTime();
        long window = clock.nanos() - t0;
        StringBuilder top = new StringBuilder();
        after.byThread().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.byThread().getOrDefault(e.getKey(), e.getValue())))
                .filter(e -> e.getValue() > 0)
                .sorted(Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.3f%%", e.getKey(), 100.0 * e.getValue() / window)));
        progress.accept("  busiest threads:" + top);
        return 100.0 * (after.totalNanos() - before.totalNanos()) / window;
    }

    private void apply(PumpDaemon daemon, TherapyCommand command) throws InterruptedException {
        CommandResult result;
        try {
            result = daemon.pump().controller().submit(CommandRequest.commit(command, "bench", OptionalLong.empty(), false)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the bench's command " + command + " failed: " + e.getCause(), e);
        }
        if (result.outcome() != CommandResult.Outcome.APPLIED) {
            throw new IllegalStateException("the bench's command was refused: " + result.message());
        }
    }

    private void waitFor(long deadline) throws InterruptedException {
        while (clock.nanos() - deadline < 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            clock.parkUntil(deadline);
        }
    }

    private void awaitUntil(BooleanSupplier done, Duration timeout, String failure) throws InterruptedException {
        long end = clock.nanos() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (clock.nanos() - end >= 0) {
                throw new IllegalStateException(failure + " within " + Durations.format(timeout));
            }
            waitFor(clock.nanos() + 10_000_000L);
        }
    }

    private static String seconds(long nanos) {
        return (nanos / 100_000_000L) / 10.0 + " s";
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("a bench loop did not stop: " + e, e);
        }
    }

    /** Removes {@code root} and everything under it. */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
