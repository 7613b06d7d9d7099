package org.openitb.daemon;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.clock.Clock;
import org.openitb.clock.Pace;
import org.openitb.clock.SystemClock;
import org.openitb.config.PumpConfig;
import org.openitb.control.ControlServer;
import org.openitb.control.ControlService;
import org.openitb.control.FaultInjector;
import org.openitb.control.StatusJson;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.DoseLoop;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.stepper.MotorWatchdogThread;
import org.openitb.journal.TherapyEvent;
import org.openitb.sim.BenchHands;
import org.openitb.sim.SimulatedBench;
import org.openitb.store.CommitLatency;
import org.openitb.store.Outbox;
import org.openitb.store.PumpStore;
import org.openitb.store.StoreException;
import org.openitb.telemetry.MqttPublisher;
import org.openitb.telemetry.RemoteAck;
import org.openitb.telemetry.TelemetryFeed;
import org.tinylog.Logger;

/**
 * The running pump: its memory ({@link PumpStore}), the assembled {@link Pump} restored from it,
 * its threads (dose loop, input loop, motor watchdog) and its control socket. {@code run} and
 * {@code simulate} differ only in the board and the clock they pass in. A loop that fails is a
 * broken invariant: the motor goes to its safe state and the daemon ends with exit code 1, for
 * systemd to restart it.
 */
public final class PumpDaemon implements AutoCloseable {

    /** The least real time the motor watchdog allows the loop, whatever the simulation speed. */
    static final Duration WATCHDOG_REAL_FLOOR = Duration.ofMillis(500);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final DaemonLock lock;
    private final Optional<PumpStore> store;
    private final Pump pump;
    private final Optional<SimulatedBench> bench;
    private final MotorWatchdogThread watchdog;
    private final DoseLoop doseLoop;
    private final DoseLoop inputLoop;
    private final ControlServer control;
    private final Optional<AccuracyHost> accuracy;
    private final Optional<MqttPublisher> publisher;
    private volatile Optional<ServiceNotifier> notifier = Optional.empty(); // a loop may fail before it is set
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile int exitCode;
    private volatile boolean closed;

    private PumpDaemon(PumpConfig config, Clock clock, Gpio gpio, boolean simulated, long speed, Consumer<TherapyEvent> events,
            DaemonLock lock, CommitLatency.Profile slowDisk) throws IOException {
        this.lock = lock;
        Clock real = new SystemClock(config.zone());
        Optional<String> alert = Optional.empty();
        Optional<PumpStore> opened;
        // Real time waits for no disk; a simulation's clock waits for its loop, so there a step may wait for its mark.
        PumpStore.Options storeOptions = new PumpStore.Options(config.delivery().crashUncertaintyMicrosteps(config.mechanics()), speed,
                slowDisk, speed > 1 ? PumpStore.Options.SIMULATED_MARK_WAIT_NANOS : 0);
        try {
            opened = Optional.of(PumpStore.open(config.stateDir(), clock, real, storeOptions));
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.UNREADABLE) {
                Path aside = setAside(config.stateDir(), real);
                alert = Optional.of("the database could not be used at start (" + e.getMessage() + "); it was moved to " + aside
                        + "; the pump starts with no program and the motor off: refill, then program it with the dose the patient was on (--reference-dose) to deliver again");
                opened = openFresh(config.stateDir(), clock, real, storeOptions);
            } else {
                alert = Optional.of("the pump's memory is not kept: " + e.getMessage());
                opened = Optional.empty();
            }
            Logger.error(alert.get());
        }
        this.store = opened;
        BenchHands hands = new BenchHands(config);
        // Alarms and journal events go out through the durable outbox, so only with a store to hold them.
        Optional<TelemetryFeed> feed = config.mqtt().enabled() ? store.map(s -> new TelemetryFeed(config.pumpId(), s)) : Optional.empty();
        Pump.Storage storage = feed.isPresent() ? Pump.Storage.of(store).withTelemetry(store.get(), feed.get()) : Pump.Storage.of(store);
        this.pump = Pump.assemble(config, clock, gpio, watchdogTimeout(config, speed), storage, hands.then(events));
        try {
            alert.ifPresent(pump.controller()::storageAlert);
            pump.recover(clock.nanos());
            this.bench = simulated ? Optional.of(SimulatedBench.attach(gpio, config, clock)) : Optional.empty();
            bench.ifPresent(b -> {
                hands.attach(b);
                b.refill(pump.reservoir.remaining(), config.mechanics().volumePerMicrostep()); // the syringe as the pump remembers it
            });
            this.watchdog = MotorWatchdogThread.start(pump.watchdog, clock);
            // A frozen loop (a hang played on the bench) lets simulated time run: it must not hold the clock it waits on.
            Pace dosePace = clock.pace("dose-loop");
            this.doseLoop = DoseLoop.start("dose-loop", clock, dosePace, DoseLoop.Timing.DOSE, bench.isPresent()
                    ? now -> pump.controller().tick(bench.get().holdIfFrozen(now, dosePace))
                    : pump.controller()::tick, this::failed);
            pump.controller().wakeWith(doseLoop::wake);
            this.inputLoop = DoseLoop.start("input-loop", clock, DoseLoop.Timing.INPUTS, now -> {
                long next = pump.tickInputs(now);
                return bench.isPresent() ? Math.min(next, bench.get().tick(now)) : next;
            }, this::failed);
            pump.onInputEdge(inputLoop::wake);
            pump.supervisor().wakeWith(inputLoop::wake);
            Optional<BenchBalance> benchBalance = bench.map(b -> BenchBalance.on(b, config, clock, real));
            this.accuracy = AccuracyHost.of(pump, real, benchBalance); // resumes a test a previous run left unfinished
            ControlService service = new ControlService(config.pumpId(), pump.controller(), pump.supervisor(),
                    bench.<FaultInjector>map(b -> new BenchFaults(b, benchBalance, speed)), store,
                    config.mechanics().volumePerMicrostep(), speed, accuracy.map(a -> a));
            this.control = ControlServer.start(config.controlSocket(), service, real);
            this.publisher = config.mqtt().enabled() ? Optional.of(startPublisher(config, clock, real, speed, storage)) : Optional.empty();
            // Last: READY=1 must mean recovered, serving and dosing.
            this.notifier = ServiceNotifier.start(System.getenv(), ProcessHandle.current().pid(), real,
                    List.of(new ServiceHealth.Heartbeat("dose loop", doseLoop::passes), new ServiceHealth.Heartbeat("input loop", inputLoop::passes)),
                    () -> summary(pump.controller().status(), pump.supervisor().view()));
        } catch (IOException | RuntimeException e) {
            pump.close();
            store.ifPresent(PumpStore::close);
            throw e;
        }
    }

    /** Remote monitoring: the publisher thread, fed by the outbox, reporting an unreachable broker to the supervisor. */
    private MqttPublisher startPublisher(PumpConfig config, Clock clock, Clock real, long speed, Pump.Storage storage) {
        if (store.isEmpty()) {
            Logger.error("the pump's memory is not kept, so alarm and journal events cannot go out over MQTT; the state snapshot still does");
        }
        RemoteAck acks = new RemoteAck(config.pumpId(), pump.supervisor(), storage.journal(), clock, real);
        var perMicrostep = config.mechanics().volumePerMicrostep();
        MqttPublisher p = MqttPublisher.start(config.mqtt(), config.pumpId(), real, store.map(s -> (Outbox) s),
                () -> StatusJson.of(config.pumpId(), pump.controller().status(), pump.supervisor().view(), perMicrostep, speed), acks);
        pump.watchBroker(p::problem);
        pump.onAlarm(e -> p.wake()); // the state snapshot follows an alarm change at once
        return p;
    }

    /** Starts the pump's threads and its control socket. */
    public static PumpDaemon start(PumpConfig config, Clock clock, Gpio gpio, boolean simulated, long speed,
            Consumer<TherapyEvent> events) throws IOException {
        return start(config, clock, gpio, simulated, speed, events, lane -> CommitLatency.NONE);
    }

    /** As {@link #start(PumpConfig, Clock, Gpio, boolean, long, Consumer)}, on a disk made as slow as {@code slowDisk}. */
    public static PumpDaemon start(PumpConfig config, Clock clock, Gpio gpio, boolean simulated, long speed,
            Consumer<TherapyEvent> events, CommitLatency.Profile slowDisk) throws IOException {
        prepareStateDir(config.stateDir());
        // Before the memory is read: a second copy must not journal a restart or touch the pins.
        DaemonLock lock = DaemonLock.acquire(config.stateDir(), ProcessHandle.current().pid());
        try {
            return new PumpDaemon(config, clock, gpio, simulated, speed, events, lock, slowDisk);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Where a simulation's clock starts: where the last run's simulated clock stood, plus the real
     * time since, times the speed, so the journal reads as one timeline; or now, for a first run.
     */
    public static Instant simulatedStart(PumpConfig config, long speed, Clock real) {
        return PumpStore.lastMark(config.stateDir())
                .map(last -> {
                    Duration down = Duration.between(last.heartbeatReal(), real.instant());
                    Instant continued = last.heartbeat().plus(down.isNegative() ? Duration.ZERO : down.multipliedBy(speed));
                    return continued.isAfter(real.instant()) ? continued : real.instant();
                })
                .orElse(real.instant());
    }

    public Pump pump() {
        return pump;
    }

    public Optional<SimulatedBench> bench() {
        return bench;
    }

    /** The pump's memory, if it could be opened. */
    public Optional<PumpStore> store() {
        return store;
    }

    /** Whether both loops have completed a pass: recovered and running (what READY=1 waits for). */
    public boolean loopsPassed() {
        return doseLoop.passes() > 0 && inputLoop.passes() > 0;
    }

    /** Blocks until the daemon is closed (0) or a loop failed (1). */
    public int awaitExit() throws InterruptedException {
        ended.await();
        return exitCode;
    }

    /** The pump in one line, for systemd's STATUS (shown by {@code systemctl status openitb}). */
    public static String summary(DeliveryStatus status, AlarmSupervisor.View alarms) {
        StringBuilder line = new StringBuilder(status.running().state());
        if (!status.running().state().equals("idle")) {
            line.append(' ').append(status.running().mode()).append(' ').append(status.running().basal());
            status.supply().concentration().ifPresent(c -> line.append(" of ").append(c));
        }
        if (!status.running().haltReasons().isEmpty()) {
            line.append(" (").append(String.join(", ", status.running().haltReasons())).append(')');
        }
        line.append("; reservoir ").append(BigDecimal.valueOf(status.supply().remaining().picolitres(), 9)
                .setScale(1, RoundingMode.DOWN).toPlainString()).append(" mL; ");
        if (alarms.open().isEmpty()) {
            line.append("no alarms");
        } else {
            line.append("alarms:");
            alarms.open().forEach(a -> line.append(' ').append(a.type()).append('/').append(a.priority().name().toLowerCase(Locale.ROOT)));
        }
        return line.toString();
    }

    private void failed(Throwable cause) {
        notifier.ifPresent(n -> n.stopping("broken invariant: " + cause));
        pump.stepper.safeState("broken invariant, the daemon stops: " + cause);
        Logger.error("the pump stops on a broken invariant; systemd (or the operator) restarts it: {}", cause.toString());
        exitCode = 1;
        ended.countDown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        notifier.ifPresent(n -> n.stopping("shutting down"));
        control.close();
        accuracy.ifPresent(AccuracyHost::close);
        inputLoop.close();
        doseLoop.close();
        watchdog.close();
        publisher.ifPresent(MqttPublisher::close);
        pump.close();
        store.ifPresent(PumpStore::close);
        lock.close();
        ended.countDown();
    }

    /** The configured watchdog, or for a fast simulation at least {@link #WATCHDOG_REAL_FLOOR} of real time in simulated time. */
    static Duration watchdogTimeout(PumpConfig config, long speed) {
        Duration scaled = WATCHDOG_REAL_FLOOR.multipliedBy(speed);
        Duration configured = config.stepper().watchdog();
        return speed > 1 && scaled.compareTo(configured) > 0 ? scaled : configured;
    }

    /** Moves an unusable database (and its WAL files) out of the way, keeping it for inspection. */
    private static Path setAside(Path dir, Clock real) throws IOException {
        String suffix = ".unreadable-" + STAMP.format(real.instant().atZone(ZoneOffset.UTC));
        Path aside = dir.resolve(PumpStore.FILE + suffix);
        for (String extra : new String[] {"", "-wal", "-shm"}) {
            Path file = dir.resolve(PumpStore.FILE + extra);
            if (Files.exists(file)) {
                Files.move(file, dir.resolve(PumpStore.FILE + suffix + extra), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (String companion : PumpStore.companionFiles()) { // the mark goes with the memory it belongs to
            Path file = dir.resolve(companion);
            if (Files.exists(file)) {
                Files.move(file, dir.resolve(companion + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return aside;
    }

    private static Optional<PumpStore> openFresh(Path dir, Clock clock, Clock real, PumpStore.Options options) {
        try {
            return Optional.of(PumpStore.open(dir, clock, real, options));
        } catch (StoreException e) {
            Logger.error("a fresh database could not be created either: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static void prepareStateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }
}
