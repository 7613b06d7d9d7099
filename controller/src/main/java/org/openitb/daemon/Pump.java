package org.openitb.daemon;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openitb.alarm.AlarmEvent;
import org.openitb.alarm.AlarmJson;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.alarm.Observation;
import org.openitb.alarm.RiskRecord;
import org.openitb.clock.Clock;
import org.openitb.config.PumpConfig;
import org.openitb.delivery.DeliveryController;
import org.openitb.delivery.DeliveryOptions;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DoseScheduler;
import org.openitb.delivery.Interlocks;
import org.openitb.delivery.RestartGap;
import org.openitb.delivery.StateRecorder;
import org.openitb.drivers.annunciator.Annunciator;
import org.openitb.drivers.annunciator.Pi4jAnnunciator;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.sensor.Pi4jSensorBank;
import org.openitb.drivers.sensor.SensorBank;
import org.openitb.drivers.sensor.SensorHealth;
import org.openitb.drivers.stepper.MotorWatchdog;
import org.openitb.drivers.stepper.Pi4jStepperDriver;
import org.openitb.journal.TherapyEvent;
import org.openitb.reservoir.Reservoir;
import org.openitb.store.DiskSpace;
import org.openitb.store.PumpStore;
import org.openitb.store.Sample;
import org.openitb.telemetry.TelemetryFeed;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyLimits;

/**
 * The pump put together from its config on one clock and one board: devices, therapy, the dose
 * scheduler and its controller. No threads: the daemon runs the loops, tests tick by hand. The
 * same assembly serves {@code run} (gpiod) and {@code simulate} (mock pins with the bench attached).
 */
public final class Pump implements AutoCloseable {

    final PumpConfig config;
    final Clock clock;
    final Gpio gpio;
    final Pi4jStepperDriver stepper;
    final MotorWatchdog watchdog;
    final SensorBank sensors;
    final Annunciator annunciator;
    final Interlocks interlocks = new Interlocks();
    /** How often free disk space is asked for: a disk fills over hours, and the input loop is the alarm path. */
    static final long DISK_CHECK_NANOS = 60_000_000_000L;
    private long diskCheckedNanos = Long.MIN_VALUE;
    private OptionalLong diskFreeMb = OptionalLong.empty();
    /** What the supervisor saw at its last pass, and when it asked to pass again (input loop only). */
    private Observation lastObserved;
    private long supervisorNextNanos;
    /** The pump over time for reports, every few minutes (input loop only). */
    private final Sampler sampler;
    final Reservoir reservoir;
    final DoseScheduler scheduler;
    final DeliveryController controller;
    final AlarmSupervisor supervisor;
    private final Storage storage;
    /** Where events are journaled (and told to whoever else listens), for whatever else happens on the bench. */
    final Consumer<TherapyEvent> journal;
    private final List<Consumer<AlarmEvent>> alarmListeners = new CopyOnWriteArrayList<>();
    private volatile Supplier<Optional<String>> broker = Optional::empty;

    private Pump(PumpConfig config, Clock clock, Gpio gpio, Duration watchdogTimeout, Storage storage, Consumer<TherapyEvent> events) {
        this.config = config;
        this.clock = clock;
        this.gpio = gpio;
        this.storage = storage;
        this.sampler = new Sampler(storage.samples(), clock);
        this.journal = storage.journal().andThen(events);
        this.stepper = Pi4jStepperDriver.open(gpio, config.stepper(), clock);
        this.watchdog = new MotorWatchdog(stepper, watchdogTimeout, clock);
        this.sensors = new Pi4jSensorBank(gpio, config.sensors());
        this.annunciator = new Pi4jAnnunciator(gpio, config.annunciator());
        // A first start holds a full syringe of whatever the first program names; a restart restores the recorded one.
        this.reservoir = new Reservoir(config.mechanics().syringeCapacity(), config.mechanics().syringeCapacity(), Optional.empty());
        Therapy therapy = Therapy.none(new TherapyLimits(config.library(), config.patientBolus()));
        var mechanics = config.mechanics();
        DeliveryOptions options = new DeliveryOptions(mechanics.volumePerMicrostep(), mechanics.maxStepRate().hertz(),
                config.delivery().primingRate(), config.delivery().primingMax(), config.delivery().primingMaxPerDay(),
                config.delivery().maxSuspend(),
                config.delivery().catheterVolume(), config.reservoir());
        // The loop wakes at least four times per watchdog period to feed it.
        // The scheduler clears every step with the write-ahead record itself: nothing sits between them.
        this.scheduler = new DoseScheduler(stepper, watchdog, storage.sink(), mechanics.maxStepRate().hertz(),
                watchdogTimeout.toNanos() / 4, storage.startMicrosteps());
        this.controller = new DeliveryController(clock, therapy, scheduler, stepper, watchdog, interlocks, reservoir, options,
                storage.recorder(), journal);
        this.supervisor = new AlarmSupervisor(config.alarms(), clock, annunciator, this::alarmChanged, journal,
                storage.risk());
        supervisor.doseLoopWatchdog(watchdogTimeout);
    }

    /** Every alarm transition goes to the store, then to whoever listens (telemetry, the demo). */
    private void alarmChanged(AlarmEvent event) {
        storage.alarms().accept(event);
        for (Consumer<AlarmEvent> l : alarmListeners) {
            l.accept(event);
        }
    }

    /** Adds a listener for alarm transitions, called on the input loop: it must not block. */
    public void onAlarm(Consumer<AlarmEvent> listener) {
        alarmListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Where the input loop learns whether the broker has been unreachable too long (BROKER_UNREACHABLE); it must not block. */
    public void watchBroker(Supplier<Optional<String>> problem) {
        this.broker = Objects.requireNonNull(problem, "problem");
    }

    public AlarmSupervisor supervisor() {
        return supervisor;
    }

    /**
     * Where delivery is remembered: the write-ahead sink, the state recorder, the journal, and what
     * a previous run left ({@link Storage#NONE} for a pump that remembers nothing).
     */
    public record Storage(DeliverySink sink, StateRecorder recorder, Consumer<TherapyEvent> journal, Optional<PumpStore.Recovered> last,
            Consumer<AlarmEvent> alarms, Consumer<RiskRecord> risk, Consumer<Sample> samples, DiskSpace disk) {
        public static final Storage NONE = new Storage(DeliverySink.NONE, StateRecorder.NONE, e -> { }, Optional.empty(), a -> { }, r -> { },
                s -> { }, DiskSpace.UNKNOWN);

        /** Delivery remembered in {@code store} if there is one, else nowhere. */
        public static Storage of(Optional<PumpStore> store) {
            return store.map(s -> new Storage(s, s, s, s.recovered(), e -> s.saveAlarm(AlarmJson.toRecord(e.alarm())), s::saveRisk, s::sample,
                    DiskSpace.of(s.file().getParent()))).orElse(NONE);
        }

        /**
         * The same storage, with every journal event and alarm transition also put in the telemetry
         * outbox of {@code store}, in the same transaction: a crash cannot keep one and lose the other.
         */
        public Storage withTelemetry(PumpStore store, TelemetryFeed feed) {
            Consumer<TherapyEvent> journaled = journal;
            Consumer<AlarmEvent> kept = alarms;
            return new Storage(sink, recorder, e -> store.atomically(() -> {
                journaled.accept(e);
                feed.journal(e);
            }), last, e -> store.atomically(() -> {
                kept.accept(e);
                feed.alarm(e);
            }), risk, samples, disk);
        }

        /** The same storage on another disk (a simulated one, in tests). */
        public Storage on(DiskSpace other) {
            return new Storage(sink, recorder, journal, last, alarms, risk, samples, other);
        }

        /** The count to start from: what the last run may have reached. */
        long startMicrosteps() {
            return last.map(PumpStore.Recovered::startMicrosteps).orElse(0L);
        }
    }

    /**
     * Puts back what a previous run left, if anything: its state (program, reservoir, counters,
     * limits) or, if it never saved one, only its count; either way the restart is journaled with
     * its gap and the dose missed, which is not made up.
     */
    public void recover(long now) {
        storage.last().ifPresent(last -> {
            // How long the pump was gone, as far as the wall clock can be believed (a Pi has no clock battery).
            RestartGap gap = RestartGap.of(last.mark().heartbeat(), clock.instantAt(now), clock.wallClockState());
            supervisor.restore(last.alarms().stream().flatMap(r -> AlarmJson.fromRecord(r).stream()).toList(), last.risk(), gap);
            if (last.state().isPresent()) {
                controller.restore(last.state().get(), gap, now, last.uncertainMicrosteps());
            } else {
                controller.restarted(gap, now, last.mark().microsteps(), Optional.empty());
            }
        });
    }

    /** Opens every device of {@code config} on {@code gpio} and wires the pump; nothing moves until ticked. */
    public static Pump assemble(PumpConfig config, Clock clock, Gpio gpio, Storage storage, Consumer<TherapyEvent> events) {
        return assemble(config, clock, gpio, config.stepper().watchdog(), storage, events);
    }

    /**
     * As {@link #assemble(PumpConfig, Clock, Gpio, Storage, Consumer)} with another motor
     * watchdog timeout: {@code simulate --speed N} keeps the watchdog at least a fraction of a real
     * second, because no host answers within {@code stepper.watchdog / N} of real time.
     */
    public static Pump assemble(PumpConfig config, Clock clock, Gpio gpio, Duration watchdogTimeout, Storage storage,
            Consumer<TherapyEvent> events) {
        return new Pump(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(gpio, "gpio"), Objects.requireNonNull(watchdogTimeout, "watchdogTimeout"),
                Objects.requireNonNull(storage, "storage"), Objects.requireNonNull(events, "events"));
    }

    public DeliveryController controller() {
        return controller;
    }

    public PumpConfig config() {
        return config;
    }

    /** The motor watchdog; its thread belongs to the daemon, tests call {@code check} themselves. */
    public MotorWatchdog watchdog() {
        return watchdog;
    }

    /**
     * One pass of the input loop: samples the sensors, turns occlusion, stall and end of travel
     * into interlocks for the dose loop, and drives the annunciator. Returns when to come back.
     */
    public long tickInputs(long now) {
        long next = sensors.tick(now);
        interlocks.set(Interlocks.Reason.OCCLUSION, sensors.sensor("occlusion").active());
        interlocks.set(Interlocks.Reason.MOTOR_STALL, sensors.sensor("stall").active());
        interlocks.set(Interlocks.Reason.END_OF_TRAVEL, sensors.sensor("end-of-travel").active());
        var level = sensors.sensor("reservoir-low");
        controller.levelSwitch(level.health().ok() ? Optional.of(level.active()) : Optional.empty());
        Map<String, SensorHealth> health = new LinkedHashMap<>();
        sensors.sensors().forEach(s -> health.put(s.name(), s.health()));
        DeliveryStatus status = controller.snapshot();
        Observation seen = new Observation(status.observed(), interlocks.active(), health, annunciator.fault(), diskFreeMb(now),
                broker.get());
        // The supervisor's pass is the costly part of a poll: it runs when what it observes changed
        // (an edge, a halt, a step) or its own period is up, not on every idle poll of the inputs.
        if (supervisor.due(now) || !seen.equals(lastObserved)) {
            lastObserved = seen;
            supervisorNextNanos = supervisor.tick(now, seen);
        }
        next = Math.min(next, supervisorNextNanos);
        // After the supervisor's pass, so a sample carries the estimate it has just made.
        next = Math.min(next, sampler.tick(now, status, supervisor.view().risk()));
        // The supervisor's pass can take a while (the journal): the annunciator is driven on the time
        // it is driven at, so a pattern the pass started is timed from its first write, not from before.
        return Math.min(next, annunciator.tick(clock.nanos()));
    }

    /** Free space, asked at most every {@link #DISK_CHECK_NANOS}: a system call is cheap, but not every 10 ms. */
    private OptionalLong diskFreeMb(long now) {
        if (now - diskCheckedNanos >= DISK_CHECK_NANOS || diskCheckedNanos == Long.MIN_VALUE) {
            diskCheckedNanos = now;
            diskFreeMb = storage.disk().freeMb();
        }
        return diskFreeMb;
    }

    /** Wakes the input loop on every raw edge. */
    public void onInputEdge(Runnable wake) {
        sensors.onEdge(wake);
    }

    /** Drives every output to its declared safe state (motor disabled, STEP low, LED lit). */
    @Override
    public void close() {
        try {
            if (stepper.enabled()) {
                stepper.disable();
            }
        } finally {
            gpio.close();
        }
    }
}
