package org.openitb.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmEvent;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.alarm.AlarmType;
import org.openitb.alarm.RiskEstimate;
import org.openitb.clock.SimulatedClock;
import org.openitb.clock.SystemClock;
import org.openitb.config.ConfigLoader;
import org.openitb.config.PropertiesFile;
import org.openitb.config.ProjectFiles;
import org.openitb.config.PumpConfig;
import org.openitb.daemon.Pump;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.drivers.annunciator.AnnunciatorSim;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.journal.TherapyEvent;
import org.openitb.store.CommitLatency;
import org.openitb.store.PumpStore;
import org.openitb.store.StoreException;
import org.openitb.telemetry.TelemetryFeed;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * The whole pump on the simulated bench and a simulated clock, ticked the way the daemon's loops
 * would tick it, for scenario tests that read like the domain:
 * {@code bench.program(...); bench.run(hours(2)); bench.occlude(); ...}.
 */
public final class Bench implements AutoCloseable {

    public final SimulatedClock clock;
    public final Gpio gpio = Gpio.mock();
    public final PumpConfig config;
    public final Pump pump;
    public final SimulatedBench plant;
    public final List<TherapyEvent> events = new ArrayList<>();
    /** Every alarm transition, in order. */
    public final List<AlarmEvent> alarmEvents = new ArrayList<>();
    /** What a person at the bench sees and hears. */
    public final AnnunciatorSim annunciator;
    /** Free space under the state directory. */
    public final SimulatedDisk disk = new SimulatedDisk(10_000);
    /** While set, the dose loop does not run (a stuck thread); everything else does. */
    private boolean doseLoopFrozen;
    private final Path stateDir;
    /** Whether journal events and alarm transitions also go to the store's telemetry outbox, as in the daemon. */
    private final boolean telemetry;
    /** Called after every pass of the loops with the time of the pass: where a checker watches. */
    private final List<LongConsumer> afterPass = new ArrayList<>();
    private final Optional<PumpStore> store;
    /** The simulated disk that runs the store's commits, if the store is driven by one. */
    private final SimulatedStorage stateDisk;
    private long nextStorage = Long.MAX_VALUE;
    private final List<LongConsumer> beforeDosePass = new ArrayList<>();
    private long nextDose;
    private long nextInputs;
    private long nextPlant;
    private long nextWatchdog = Long.MAX_VALUE;
    private boolean woken;
    /** Passes of the loops at one simulated instant at most: a few when commands and edges wake them, never thousands. */
    static final int PASSES_PER_INSTANT_LIMIT = 1_000;

    public Bench(Instant start, ZoneId zone) {
        this(start, zone, shippedConfig());
    }

    public Bench(Instant start, ZoneId zone, PumpConfig config) {
        this(start, zone, config, null, false);
    }

    private Bench(Instant start, ZoneId zone, PumpConfig config, Path stateDir, boolean telemetry) {
        this(start, zone, config, stateDir, telemetry, clock -> { }, null, null);
    }

    /** {@code machine} sets the simulated machine's clock up (not synchronised, booted a while ago) before the pump starts on it. */
    private Bench(Instant start, ZoneId zone, PumpConfig config, Path stateDir, boolean telemetry,
            Consumer<SimulatedClock> machine, SimulatedBench previous, SimulatedStorage stateDisk) {
        this.clock = new SimulatedClock(start, zone);
        machine.accept(clock);
        this.config = config;
        this.stateDir = stateDir;
        this.telemetry = telemetry;
        this.stateDisk = stateDisk;
        long bound = config.delivery().crashUncertaintyMicrosteps(config.mechanics());
        try {
            if (stateDir == null) {
                this.store = Optional.empty();
            } else if (stateDisk != null) {
                this.store = Optional.of(PumpStore.openDriven(stateDir, clock, bound));
            } else {
                // Simulated time stands still while the loop waits for its mark: here a step waits (bounded), as under simulate.
                this.store = Optional.of(PumpStore.open(stateDir, clock, new SystemClock(zone), new PumpStore.Options(bound, 1,
                        lane -> CommitLatency.NONE, PumpStore.Options.SIMULATED_MARK_WAIT_NANOS)));
            }
        } catch (StoreException e) {
            throw new IllegalStateException(e);
        }
        BenchHands hands = new BenchHands(config);
        Pump.Storage storage = Pump.Storage.of(store).on(disk);
        if (telemetry) {
            storage = storage.withTelemetry(store.orElseThrow(), new TelemetryFeed(config.pumpId(), store.orElseThrow()));
        }
        this.pump = Pump.assemble(config, clock, gpio, storage, hands.then(events::add));
        pump.onAlarm(alarmEvents::add);
        this.annunciator = AnnunciatorSim.attach(gpio, config.annunciator(), clock);
        pump.recover(clock.nanos());
        this.plant = SimulatedBench.attach(gpio, config, clock);
        if (store.flatMap(PumpStore::recovered).isPresent()) {
            plant.refill(pump.controller().status().supply().remaining(), config.mechanics().volumePerMicrostep());
        }
        if (previous != null) {
            plant.carryOver(previous); // the same catheter, and the same patient, under the new pump
        }
        hands.attach(plant);
        pump.controller().wakeWith(() -> woken = true);
        pump.onInputEdge(() -> woken = true);
        pump.supervisor().wakeWith(() -> woken = true);
        long now = clock.nanos();
        if (stateDisk != null) {
            stateDisk.attach(store.orElseThrow().driven(), pump.controller().status().counts().deliveredMicrosteps(), now);
            plant.onMicrostep(stateDisk::pulse);
            nextStorage = now;
        }
        nextDose = now;
        nextInputs = now;
        nextPlant = now;
        if (telemetry) {
            nextWatchdog = now;
        }
    }

    public static Bench utc() {
        return new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"));
    }

    /** A bench whose pump keeps its memory in a real database in {@code stateDir}, recovering what is there. */
    public static Bench remembering(Path stateDir) {
        return new Bench(Instant.parse("2026-01-05T00:00:00Z"), ZoneId.of("UTC"), shippedConfig(), stateDir, false);
    }

    /**
     * A bench as the daemon runs it: memory in a real database in {@code stateDir}, every journal
     * event and alarm transition queued in its telemetry outbox for a broker to take, and the motor
     * watchdog checked on its own schedule (the daemon's watchdog thread), so a hung dose loop
     * trips it.
     */
    public static Bench asDaemon(Instant start, ZoneId zone, PumpConfig config, Path stateDir) {
        return new Bench(start, zone, config, stateDir, true);
    }

    /** As {@link #asDaemon}, the store's commits run by {@code stateDisk} on simulated time instead of its threads. */
    static Bench asDaemon(Instant start, ZoneId zone, PumpConfig config, Path stateDir, SimulatedStorage stateDisk) {
        return new Bench(start, zone, config, stateDir, true, clock -> { }, null, stateDisk);
    }

    /** Calls {@code observer} just before every pass of the dose loop, on the thread that runs it, with the pass's time. */
    public void beforeEachDosePass(LongConsumer observer) {
        this.beforeDosePass.add(Objects.requireNonNull(observer, "observer"));
    }

    /** Calls {@code observer} after every pass of the loops, with the pass's time (after the observers added before it). */
    public void afterEachPass(LongConsumer observer) {
        this.afterPass.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Stops this pump (its memory written out, as on an orderly stop or a power loss just after a
     * write), leaves it off for {@code down}, and starts a new one on the same memory and bench.
     */
    public Bench restartAfter(Duration down) {
        return restartAfter(down, config);
    }

    /** As {@link #restartAfter(Duration)}, the operator having edited the config meanwhile to {@code edited}. */
    public Bench restartAfter(Duration down, PumpConfig edited) {
        if (stateDir == null) {
            throw new IllegalStateException("a bench without a state directory has nothing to restart from");
        }
        Instant at = clock.instant().plus(down);
        close();
        return new Bench(at, clock.zone(), edited, stateDir, telemetry, machine -> { }, plant, stateDisk);
    }

    /**
     * The power goes now, with no orderly stop: the outputs fall to their safe state, and the
     * simulated disk keeps what it had landed (a commit in flight may land, be lost or be torn).
     * After {@code down} the machine boots and a new pump starts on what the disk kept.
     */
    SimulatedStorage.Cut powerCut() {
        if (stateDisk == null) {
            throw new IllegalStateException("a power cut needs a simulated disk");
        }
        pump.close();
        return stateDisk.cut(clock.nanos());
    }

    /** After {@link #powerCut()}: the machine boots {@code down} later and a new pump starts on what the disk kept. */
    Bench bootAfter(Duration down) {
        return new Bench(clock.instant().plus(down), clock.zone(), config, stateDir, telemetry, machine -> { }, plant, stateDisk);
    }

    /**
     * A power cut on a Pi without a clock battery: the pump goes off, and when the machine boots again
     * its wall clock reads {@code staleWall} (what a saved clock says), not synchronised; it starts
     * the pump {@code bootToStart} after booting. How long it was really off is the test's to say when
     * it sets the clock, as NTP would.
     */
    public Bench restartAfterPowerCut(Instant staleWall, Duration bootToStart) {
        if (stateDir == null) {
            throw new IllegalStateException("a bench without a state directory has nothing to restart from");
        }
        close();
        return new Bench(staleWall, clock.zone(), config, stateDir, telemetry, machine -> {
            machine.setSynchronised(false);
            machine.bootedBefore(bootToStart);
        }, plant, stateDisk);
    }

    /** The pump's memory, for reading what it journaled. */
    public PumpStore store() {
        return store.orElseThrow();
    }

    /**
     * The shipped config with one change: the inputs are polled every 250 ms instead of 10 ms.
     * Every edge wakes the input loop at once anyway (the poll only catches what edges miss), so
     * this changes nothing a scenario sees except how long a simulated month takes to run.
     */
    public static PumpConfig shippedConfig() {
        return shippedConfig(Map.of("sensors.poll-interval", "250ms"));
    }

    /** The shipped config with some keys changed. */
    public static PumpConfig shippedConfig(Map<String, String> changes) {
        try {
            Map<String, String> values = new LinkedHashMap<>(PropertiesFile.read(ProjectFiles.exampleConfig()));
            values.putAll(changes);
            return ConfigLoader.parse(values, "bench");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the loops for {@code duration} of simulated time. */
    public void run(Duration duration) {
        long end = clock.nanos() + duration.toNanos();
        long passesNow = 0;
        long lastPass = clock.nanos() - 1;
        while (true) {
            if (woken) {
                woken = false;
                long now = clock.nanos();
                nextDose = doseLoopFrozen ? Long.MAX_VALUE : now;
                nextInputs = now;
            }
            long next = Math.min(Math.min(Math.min(nextDose, nextWatchdog), Math.min(nextInputs, nextPlant)), nextStorage);
            if (next - end > 0) {
                break;
            }
            clock.advanceTo(next);
            long now = clock.nanos();
            passesNow = now == lastPass ? passesNow + 1 : 1;
            lastPass = now;
            if (passesNow > PASSES_PER_INSTANT_LIMIT) {
                // A loop that asks to run again at the same instant forever: on the Pi a core spun at
                // 100%; here simulated time stands still, so it must be caught, not waited out.
                throw new AssertionError(String.format("the loops make no progress: %d passes at one instant; next wake of the dose"
                        + " loop %s, inputs %s, plant %s, watchdog %s; woken %s", passesNow, after(nextDose, now), after(nextInputs, now),
                        after(nextPlant, now), after(nextWatchdog, now), woken));
            }
            if (now - nextPlant >= 0) {
                nextPlant = plant.tick(now);
            }
            if (now - nextWatchdog >= 0) {
                nextWatchdog = pump.watchdog().check(now);
            }
            if (now - nextInputs >= 0) {
                nextInputs = pump.tickInputs(now);
            }
            if (doseLoopFrozen) {
                nextDose = Long.MAX_VALUE; // a stuck thread: no ticks until thawed
            } else if (now - nextDose >= 0 || woken) {
                for (LongConsumer observer : beforeDosePass) {
                    observer.accept(now);
                }
                nextDose = pump.controller().tick(now);
            }
            if (stateDisk != null) {
                nextStorage = stateDisk.tick(now); // every pass: what the loops just handed it may start a commit at once
            }
            for (LongConsumer observer : afterPass) {
                observer.accept(now);
            }
        }
        clock.advanceTo(end);
    }

    private static String after(long wake, long now) {
        return wake == Long.MAX_VALUE ? "never" : (wake - now) + " ns after";
    }

    /** Sends a command committed at once (as {@code --yes} does), and lets the loop take it. */
    public CommandResult command(TherapyCommand command) {
        return command(command, false);
    }

    /** The operator fills the syringe and declares it, as {@code refill --volume V --concentration C --yes} does. */
    public CommandResult refill(String volume, String concentration) {
        return refill(volume, Concentration.parse(concentration));
    }

    public CommandResult refill(String volume, Concentration concentration) {
        return command(new TherapyCommand.Refill(Volume.parse(volume), concentration, Optional.empty()));
    }

    /**
     * The clinician primes the catheter (connected) with what is left of its dead volume, as before a
     * first program, and lets the priming finish: from then on what the pump pushes reaches the patient.
     */
    public void primeCatheter() {
        Volume left = status().supply().deadVolumeLeft();
        CommandResult primed = command(new TherapyCommand.Prime(left));
        if (primed.outcome() != CommandResult.Outcome.APPLIED) {
            throw new IllegalStateException("the catheter could not be primed: " + primed.message());
        }
        for (int second = 0; second < 120 && status().running().bolus().isPresent(); second++) {
            run(Duration.ofSeconds(1));
        }
        if (status().supply().deadVolumeLeft().picolitres() > 0 || status().running().bolus().isPresent()) {
            throw new IllegalStateException("the priming did not finish in two minutes: " + status().running().bolus());
        }
    }

    public CommandResult command(TherapyCommand command, boolean overrideSoftLimit) {
        return submit(CommandRequest.commit(command, "tester", OptionalLong.empty(), overrideSoftLimit));
    }

    public CommandResult preview(TherapyCommand command) {
        return submit(CommandRequest.preview(command, "tester", false));
    }

    public CommandResult submit(CommandRequest request) {
        CompletableFuture<CommandResult> result = pump.controller().submit(request);
        nextDose = clock.nanos();
        run(Duration.ZERO);
        return result.join();
    }

    /**
     * Sends a command as the control socket does, its sender waiting {@code wait} of the pump's time
     * at most: the result if the loop took it up at once, else the future the loop completes later
     * (a hung loop), by which time it must refuse it.
     */
    public CompletableFuture<CommandResult> submitWaiting(CommandRequest request, Duration wait) {
        CompletableFuture<CommandResult> result = pump.controller().submit(request, wait);
        nextDose = doseLoopFrozen ? Long.MAX_VALUE : clock.nanos();
        run(Duration.ZERO);
        return result;
    }

    /** Stops ticking the dose loop (as a thread stuck in I/O or a deadlock would), or lets it run again. */
    public void freezeDoseLoop(boolean frozen) {
        doseLoopFrozen = frozen;
        nextDose = frozen ? Long.MAX_VALUE : clock.nanos();
    }

    // ------------------------------------------------------------------ alarms

    /** The open alarms, highest priority first. */
    public List<Alarm> alarms() {
        return pump.supervisor().view().open();
    }

    /** The open alarm of {@code type}, if there is one. */
    public Optional<Alarm> alarm(AlarmType type) {
        return alarms().stream().filter(a -> a.type() == type).findFirst();
    }

    /** The open alarm of {@code type}, which must be there. */
    public Alarm openAlarm(AlarmType type) {
        return alarm(type).orElseThrow(() -> new AssertionError("no open " + type + " alarm; open: "
                + alarms().stream().map(a -> a.type() + " " + a.state().wire()).toList()));
    }

    /** Acknowledges alarm {@code id} as {@code who} would, and lets the supervisor take it. */
    public AlarmSupervisor.AckResult ack(String id, String who) {
        CompletableFuture<AlarmSupervisor.AckResult> result = pump.supervisor().acknowledge(id, who);
        run(Duration.ZERO);
        return result.join();
    }

    /** The withdrawal-risk estimate now. */
    public Optional<RiskEstimate> risk() {
        return pump.supervisor().view().risk();
    }

    /** The transitions of {@code type}'s alarms so far, e.g. [RAISED, ACKNOWLEDGED, CLEARED]. */
    public List<AlarmEvent.Transition> transitions(AlarmType type) {
        return alarmEvents.stream().filter(e -> e.alarm().type() == type).map(AlarmEvent::transition).toList();
    }

    public DeliveryStatus status() {
        return pump.controller().status();
    }

    public long delivered() {
        return status().counts().deliveredMicrosteps();
    }

    public List<String> eventTypes() {
        return events.stream().map(TherapyEvent::type).toList();
    }

    @Override
    public void close() {
        pump.close();
        store.ifPresent(PumpStore::close);
    }
}
