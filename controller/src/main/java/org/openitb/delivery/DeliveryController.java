package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.openitb.clock.Clock;
import org.openitb.drivers.stepper.MotorFaultException;
import org.openitb.drivers.stepper.MotorWatchdog;
import org.openitb.drivers.stepper.StepperDriver;
import org.openitb.journal.TherapyEvent;
import org.openitb.reservoir.Reservoir;
import org.openitb.reservoir.ReservoirOutlook;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Program;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.Volume;
import org.tinylog.Logger;

/**
 * The dose loop's core: it turns therapy (program, boluses, suspension) and interlocks into a
 * {@link DeliveryPlan} for the {@link DoseScheduler}, applies time-driven changes (flex steps,
 * bolus ends, periodic boluses, a timed suspension ending), halts on interlocks and resumes
 * without catching up, and publishes a status snapshot. Everything here runs on the dose loop
 * thread; other threads only {@link #submit} commands (a bounded queue) and read {@link #status}.
 */
public final class DeliveryController {

    /** Commands waiting for the loop at most; more are refused as busy. */
    public static final int COMMAND_QUEUE_LIMIT = 16;
    /** How often the loop re-reads the wall clock for flex schedules and wall-clock jumps. */
    static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    /** How often the counters are recorded when nothing else changed. */
    static final long SNAPSHOT_NANOS = 10_000_000_000L;

    /** A command handed to the loop, and the latest moment (monotonic ns) it may still be applied: its sender waits no longer. */
    private record Pending(CommandRequest request, CompletableFuture<CommandResult> result, long expiresNanos) {
    }

    final Clock clock;
    final DoseScheduler scheduler;
    final Reservoir reservoir;
    final DeliveryOptions options;
    private final StepperDriver stepper;
    private final MotorWatchdog watchdog;
    private final Interlocks interlocks;
    private final StateRecorder recorder;
    private final Consumer<TherapyEvent> events;
    /** Something worth remembering changed since the state was last recorded. */
    private boolean dirty = true;
    private final ArrayBlockingQueue<Pending> commands = new ArrayBlockingQueue<>(COMMAND_QUEUE_LIMIT);
    private final CommandExecutor executor;
    private volatile Runnable wake = () -> { };
    private volatile DeliveryStatus status;

    /** Delivery's state (therapy, plan, bolus, bridge, schedule): one value, replaced whole. */
    DeliveryState state;
    private long housekeepingNanos;
    private long snapshotNanos;
    private long wallOffsetNanos;
    private Halting halting = Halting.RUNNING;
    final DeliveryLedger ledger;
    /** What is told of the restart that began this run, if it was one. */
    private Optional<RestartReport> restart = Optional.empty();
    /** The reservoir level switch as last sampled (empty: the sensor is not healthy). */
    private volatile Optional<Boolean> levelSwitchLow = Optional.empty();
    private String discrepancy;
    private volatile Optional<String> storageAlert = Optional.empty();
    private final StorageWatch storageWatch;
    private List<String> programLines = List.of();
    private Optional<RefillCheck> refillCheck = Optional.empty();
    /** Since when the pump has not known its therapy (its memory was lost), until a program is verified again. */
    private Optional<Instant> memoryLostAt = Optional.empty();
    /**
     * The prescription integrated, ng (a model's input, so a double): basal at the program's rate and
     * periodic boluses at their scheduled times, whether or not delivery followed. It is what the
     * withdrawal-risk estimate holds delivery against; the rate, periodic bolus and anchor as of the
     * last pass say how it grows until the next.
     */
    private double prescribedNg;
    private long prescribedAtNanos;
    private Prescription prescription = Prescription.NONE;

    public DeliveryController(Clock clock, Therapy therapy, DoseScheduler scheduler, StepperDriver stepper, MotorWatchdog watchdog,
            Interlocks interlocks, Reservoir reservoir, DeliveryOptions options, StateRecorder recorder,
            Consumer<TherapyEvent> events) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.stepper = Objects.requireNonNull(stepper, "stepper");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.interlocks = Objects.requireNonNull(interlocks, "interlocks");
        this.reservoir = Objects.requireNonNull(reservoir, "reservoir");
        this.options = Objects.requireNonNull(options, "options");
        this.storageWatch = new StorageWatch(options.volumePerMicrostep());
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.events = Objects.requireNonNull(events, "events");
        long now = clock.nanos();
        this.ledger = new DeliveryLedger(reservoir, options.volumePerMicrostep(), options.catheterVolume(), scheduler.delivered());
        this.state = DeliveryState.start(Objects.requireNonNull(therapy, "therapy"), DeliveryPlan.start(now, scheduler.delivered(),
                DailyRate.ZERO, reservoir.concentration().orElse(DeliveryOptions.PLACEHOLDER_CONCENTRATION), options.volumePerMicrostep()));
        this.scheduler.plan(state.plan());
        this.wallOffsetNanos = wallOffset(now);
        this.housekeepingNanos = now;
        this.prescribedAtNanos = now;
        this.executor = new CommandExecutor(this);
        publish(now);
    }

    /** What to call to make the loop tick at once (the loop's wake-up), set when the loop starts. */
    public void wakeWith(Runnable wake) {
        this.wake = Objects.requireNonNull(wake, "wake");
        interlocks.onChange(wake);
    }

    /**
     * Hands a command to the loop; the future completes once the loop has applied, previewed or
     * refused it. A full queue is refused at once: commands never pile up behind a stuck loop.
     */
    public CompletableFuture<CommandResult> submit(CommandRequest request) {
        return submit(request, Duration.ofDays(1));
    }

    /**
     * As {@link #submit(CommandRequest)}, for a sender that stops waiting after {@code expiresAfter}
     * of the pump's time: a loop that takes the command up later (it was stuck) refuses it instead
     * of applying a change its sender was told did not happen.
     */
    public CompletableFuture<CommandResult> submit(CommandRequest request, Duration expiresAfter) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        long expires = clock.nanos() + expiresAfter.toNanos();
        if (!commands.offer(new Pending(Objects.requireNonNull(request, "request"), result, expires))) {
            result.complete(CommandResult.refused("the pump is busy (" + COMMAND_QUEUE_LIMIT + " commands waiting); try again", -1));
        } else {
            wake.run();
        }
        return result;
    }

    /** The latest snapshot as published (its step lateness as of then), with a watchdog trip the loop has not seen yet: cheap, for the input loop's every tick. */
    public DeliveryStatus snapshot() {
        DeliveryStatus s = status;
        // The watchdog trips on its own thread while this loop is stuck: said at once, not when the loop wakes.
        Optional<String> trip = watchdog.trip();
        return trip.isPresent() && s.health().controllerFault().isEmpty() ? s.withControllerFault(trip.get()) : s;
    }

    /** The latest snapshot (with a watchdog trip the loop has not seen yet), with step lateness as of now. */
    public DeliveryStatus status() {
        return snapshot().withLateness(scheduler.lateness().summary());
    }

    /** The reservoir level switch, from the input loop: low or not, empty while the sensor is unhealthy. */
    public void levelSwitch(Optional<Boolean> low) {
        levelSwitchLow = Objects.requireNonNull(low, "low");
    }

    /** One pass of the dose loop; returns when to come back (monotonic ns). */
    public long tick(long now) {
        accruePrescription(now);
        applyDueChanges(now);
        Pending pending;
        List<Runnable> replies = null;
        while ((pending = commands.poll()) != null) {
            CommandResult result = now - pending.expiresNanos() > 0
                    ? CommandResult.refused("not applied: the dose loop took this command up only after its sender had stopped waiting;"
                            + " check the status and send it again", state.therapy().revision())
                    : execute(pending.request(), now);
            Pending answered = pending;
            if (replies == null) {
                replies = new ArrayList<>();
            }
            replies.add(() -> answered.result().complete(result));
            dirty = true;
        }
        if (replies != null) {
            // Handed to the recorder before anyone hears "applied", so a caller that waits for the
            // store to flush knows the change is on disk (a kill -9 right after cannot lose it).
            dirty = false;
            recorder.record(durableState());
            replies.forEach(Runnable::run);
        }
        updateHalt(now);
        long next;
        try {
            next = scheduler.tick(now);
        } catch (MotorFaultException e) {
            next = now; // the stepper latched the fault; the next pass halts on it and schedules the retry
        }
        // After the pulse: from here on a pass may allocate (a collection it starts delays no step).
        checkLevelSwitch(); // an event when switch and model disagree, not an interlock
        bookDelivered(now);
        if (dirty) {
            dirty = false;
            recorder.record(durableState());
        }
        storageWatch.update(now, scheduler.writeAhead()).ifPresent(c -> {
            event(c.type(), "pump", c.details());
            Logger.warn("{}: {}", c.type(), c.details());
        });
        publish(now);
        long wakeAt = Math.min(next, Math.min(state.nextBasalChangeNanos(), state.nextPeriodicNanos()));
        wakeAt = Math.min(wakeAt, Math.min(housekeepingNanos, halting.faultRetryNanos()));
        if (state.bolus().isPresent()) {
            wakeAt = Math.min(wakeAt, state.bolus().get().endNanos());
        }
        OptionalLong suspendEnd = suspendEnd();
        if (suspendEnd.isPresent()) {
            wakeAt = Math.min(wakeAt, suspendEnd.getAsLong());
        }
        return Math.max(wakeAt, now);
    }

    // ------------------------------------------------------------------ time-driven changes

    private void applyDueChanges(long now) {
        // What went out since the last pass was for what ran then (a priming about to end, say).
        bookDelivered(now);
        OptionalLong suspendEnd = suspendEnd();
        if (suspendEnd.isPresent() && now - suspendEnd.getAsLong() >= 0) {
            executor.resume(suspendEnd.getAsLong(), "timer", "timed suspension ended");
        }
        if (state.bolus().isPresent() && now - state.bolus().get().endNanos() >= 0) {
            finishBolus(state.bolus().get().endNanos(), true);
        }
        if (now - state.nextBasalChangeNanos() >= 0) {
            Program program = state.therapy().program().orElseThrow();
            long at = Math.max(state.nextBasalChangeNanos(), state.plan().startNanos());
            Instant wallAt = wallAt(at);
            DailyRate rate = program.basalRateAt(wallAt.atZone(clock.zone()));
            changePlan(state.plan().withBasal(at, rate));
            event("rate-step", "schedule", Map.of("rate", rate.toString(), "wall", wallAt.toString()));
            state = state.withBasalChangeAfter(at, wallAt, clock.zone());
        }
        if (state.bridge().isPresent() && state.bridge().get().through(scheduler.delivered()) && state.bolus().isEmpty()) {
            // The catheter's old solution is through: count in the new concentration from here.
            Concentration to = state.bridge().get().to();
            changePlan(state.plan().withConcentration(Math.max(now, state.plan().startNanos()), to));
            event("bridge-completed", "pump", Map.of("concentration", to.toString()));
            state = state.withBridge(Optional.empty());
            if (state.periodicWaiting()) {
                state = state.withPeriodicWaiting(false);
                state = state.withNextPeriodic(now);
            }
        }
        if (now - state.nextPeriodicNanos() >= 0) {
            executor.startPeriodicBolus();
        }
        if (now - housekeepingNanos >= 0) {
            housekeepingNanos = now + HOUSEKEEPING_NANOS;
            if (now - snapshotNanos >= 0) {
                // The counters moved on. The write-ahead mark keeps them safe in between; this keeps the
                // drug total and the reservoir fresh without wearing an SD card out.
                snapshotNanos = now + SNAPSHOT_NANOS;
                dirty = true;
            }

            if (restart.isPresent() && restart.get().pending().isPresent()) {
                correctGap(now);
            }
            long offset = wallOffset(now);
            if (Math.abs(offset - wallOffsetNanos) > HOUSEKEEPING_NANOS) {
                // The wall clock jumped (NTP, an operator): the flex schedule is re-read from it.
                Logger.warn("wall clock moved by {} s; flex schedule re-read", (offset - wallOffsetNanos) / 1_000_000_000L);
                wallOffsetNanos = offset;
                reapplyBasal(now);
            }
        }
    }

    /** Sets the basal rate the program wants at the wall time of {@code now}, and when it next changes. */
    void reapplyBasal(long now) {
        adopt(state.withBasalAt(now, wallAt(now), clock.zone()));
    }

    /**
     * Ends the running bolus at {@code at}, having run its course or been stopped, and journals how
     * ({@link RunningBolus#end}). Steps merely late at its end are still owed by the plan and go out
     * at once.
     */
    void finishBolus(long at, boolean ranItsCourse) {
        if (state.bolus().orElseThrow().kind() == BolusKind.PRIMING) {
            bookDelivered(at);
        }
        DeliveryState.BolusEnd end = state.endBolus(at, ranItsCourse, scheduler.delivered(), halted());
        adopt(end.next());
        RunningBolus done = end.bolus();
        RunningBolus.Ending ending = end.ending();
        event("bolus-" + ending.outcome(), "pump", done.details(ending, options.volumePerMicrostep()));
        if (!ending.outcome().equals("completed")) {
            Logger.warn("{} {}: {} of {} microsteps delivered", done.description(), ending.outcome(), ending.deliveredMicrosteps(),
                    done.requestedMicrosteps());
        }
    }

    // ------------------------------------------------------------------ halts

    private void updateHalt(long now) {
        if (halting.retryDue(now)) {
            halting = halting.retried();
            watchdog.reset();
            stepper.rearm("an automatic retry " + Halting.FAULT_RETRY_NANOS / 1_000_000 + " ms after the fault");
        }
        Optional<String> fault = stepper.fault();
        Halting.Step step = halting.step(interlocks.active(), reservoir.empty(options.volumePerMicrostep()), fault,
                fault.isPresent() && watchdog.trip().isPresent(), now);
        halting = step.next();
        if (step.fault().isPresent()) { // not ifPresent: a lambda capturing now would be allocated before every pulse
            Halting.Fault f = step.fault().get();
            Logger.error("{} fault: {}; retrying automatically in {} ms", f.controller() ? "controller" : "motor", f.message(), (f.retryNanos() - now) / 1_000_000);
            event(f.controller() ? "controller-fault" : "motor-fault", "pump", Map.of("reason", f.message(), "retryInMs", (f.retryNanos() - now) / 1_000_000));
        }
        switch (step.change()) {
            case NONE -> { }
            case HALTED -> {
                String reason = halting.reason().orElseThrow();
                event("halted", "pump", Map.of("reason", reason));
                Logger.warn("delivery halted: {}", reason);
                scheduler.halt(reason, now);
            }
            case REASON_CHANGED -> scheduler.halt(halting.reason().orElseThrow(), now);
            case RESUMED -> {
                // Resume at the programmed rate; what the halt kept back is dropped, never given as a bolus.
                String after = step.before().orElseThrow();
                long missed = state.plan().target(now) - scheduler.delivered();
                // the halt ate into the bolus: it ends short, and says so
                state = state.withBolus(state.bolus().map(b -> b.lost(missed)));
                rebase(now);
                scheduler.resume();
                event("delivery-resumed", "pump", Map.of("after", after, "droppedMicrosteps", Long.toString(Math.max(0, missed))));
                Logger.info("delivery resumed after {}; {} microsteps not caught up", after, Math.max(0, missed));
            }
        }
    }

    /** Reports the level switch and the volume model disagreeing, and their agreeing again; corrects neither. */
    private void checkLevelSwitch() {
        Optional<Boolean> low = levelSwitchLow;
        if (low.isEmpty() || reservoir.concentration().isEmpty()) {
            return; // no believable switch, or no reservoir the model knows yet
        }
        String now = ReservoirOutlook.discrepancy(low.get(), reservoir.remaining(), options.reservoir()).orElse(null);
        if (!Objects.equals(now, discrepancy)) {
            if (now != null) {
                Logger.warn("reservoir discrepancy: {}", now);
                event("reservoir-discrepancy", "pump", Map.of("detail", now, "modelMl", reservoir.remaining().toDisplayString()));
            } else {
                event("reservoir-discrepancy-cleared", "pump", Map.of("modelMl", reservoir.remaining().toDisplayString()));
            }
            discrepancy = now;
        }
    }

    // ------------------------------------------------------------------ shared with CommandExecutor

    CommandResult execute(CommandRequest request, long now) {
        try {
            return executor.execute(request, now);
        } catch (RuntimeException e) {
            // A bad command must never stop delivery: refuse it and carry on.
            Logger.error(e, "command {} failed", request.command());
            return CommandResult.refused("internal error handling " + request.command().getClass().getSimpleName() + ": " + e, state.therapy().revision());
        }
    }

    /** The plan from {@code at} on, starting from what went out: what was owed (a late priming's tail too) is dropped. */
    void rebase(long at) {
        bookDelivered(at);
        adopt(state.rebased(at, scheduler.delivered()));
    }

    /** Books what went out since the last pass: a late priming's tail as that priming, the rest as what runs now. */
    void bookDelivered(long now) {
        if (state.primingTail().isPresent()) {
            DeliveryState.PrimingTail tail = state.primingTail().get();
            ledger.book(Math.min(scheduler.delivered(), tail.untilMicrostep()), state.plan().concentration(), tail.purpose(), now);
            if (scheduler.delivered() >= tail.untilMicrostep()) {
                state = state.withPrimingTail(Optional.empty());
            }
        }
        ledger.book(scheduler.delivered(), state.plan().concentration(), state.purpose(), now);
    }

    void changePlan(DeliveryPlan next) {
        adopt(state.withPlan(next));
    }

    /** Takes {@code next} as delivery's state, handing its plan to the scheduler if it is a new one. */
    void adopt(DeliveryState next) {
        if (next.plan() != state.plan()) {
            scheduler.plan(next.plan());
        }
        state = next;
    }

    /** Since when the therapy is not known (the memory was lost), if it is not. */
    Optional<Instant> memoryLostAt() {
        return memoryLostAt;
    }

    /** A program was accepted on a pump that had lost its memory: its therapy is known again. */
    void memoryVerified() {
        if (memoryLostAt.isPresent()) {
            event("therapy-verified", "pump", Map.of("memoryLostAt", memoryLostAt.get().toString()));
            memoryLostAt = Optional.empty();
        }
    }

    /** The last refill did not add up: shown in status for the alarm supervisor to raise once. */
    void refillChecked(RefillCheck check) {
        refillCheck = Optional.of(check);
    }

    void programChanged(Program program) {
        programLines = program.describe();
    }

    boolean halted() {
        return halting.halted();
    }

    Optional<String> haltReason() {
        return halting.reason();
    }

    Instant wallAt(long nanos) {
        return clock.instantAt(nanos);
    }

    void event(String type, String who, Map<String, ?> details) {
        dirty = true;
        long now = clock.nanos();
        TherapyEvent e = new TherapyEvent(type, clock.instantAt(now), now, who, new LinkedHashMap<>(details));
        try {
            events.accept(e);
        } catch (RuntimeException ex) {
            Logger.error(ex, "event listener failed on {}", type);
        }
    }

    /**
     * What the steps a restart books beyond the last snapshot were for: the priming that snapshot saw
     * running (its steps fill the catheter first, and a disconnected one reaches no one), else delivery.
     */
    private static DeliveryLedger.Purpose restoredPurpose(DurableState s) {
        return s.bolus().filter(DurableState.RunningBolus::priming)
                .map(b -> b.disconnected() ? DeliveryLedger.Purpose.PRIMING_DISCONNECTED : DeliveryLedger.Purpose.PRIMING)
                .orElse(DeliveryLedger.Purpose.DELIVERY);
    }

    private OptionalLong suspendEnd() {
        return state.therapy().suspension().map(s -> s.untilNanos()).orElse(OptionalLong.empty());
    }

    private long wallOffset(long now) {
        Instant wall = clock.instantAt(now);
        return wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - now;
    }

    private void publish(long now) {
        Optional<Program> program = state.therapy().program();
        notePrescription(program, now);
        Dose lastDay = ledger.patientDrugLast24h(now);
        String doing = program.isEmpty() && state.bolus().isEmpty() ? "idle"
                : halting.halted() ? "halted"
                : state.therapy().suspension().isPresent() ? "suspended"
                : "delivering";
        DailyRate basal = state.plan().basal();
        Concentration c = state.plan().concentration();
        ReservoirSettings rs = options.reservoir();
        // The syringe empties at the whole prescription (periodic boluses too), at what it holds: a bridge's
        // catheter concentration drains it otherwise for a few hours only. A suspension does not put the
        // refill off: the program it stops is what the syringe must last for (REFILL_DUE stays).
        DailyRate draining = prescription.perDay();
        Concentration held = reservoir.concentration().orElse(c);
        Optional<Double> hours = ReservoirOutlook.untilEmpty(reservoir.remaining(), draining, held).map(d -> d.toSeconds() / 3600.0);
        // Low by volume whatever the rate; by days only while something is delivered.
        Optional<String> low = ReservoirOutlook.low(reservoir.remaining(), draining, held, rs);
        Optional<Instant> due = ReservoirOutlook.refillDue(clock.instantAt(now), reservoir.remaining(), draining, held, rs);
        Optional<Instant> until = suspendEnd().isPresent() ? Optional.of(wallAt(suspendEnd().getAsLong())) : Optional.empty();
        Optional<String> storageFailure = storageAlert.or(recorder::failure);
        status = new DeliveryStatus(now, clock.instantAt(now),
                new DeliveryStatus.Running(program.map(Program::mode).orElse("none"), doing, halting.reason().map(List::of).orElse(List.of()),
                        basal, prescribed(program, now), draining, programLines, state.therapy().revision(), until,
                        state.therapy().suspension().map(sus -> OptionalLong.of(sus.sinceNanos())).orElse(OptionalLong.empty()),
                        state.bolus().map(RunningBolus::description), state.bolus().map(RunningBolus::kind),
                        state.bridge().map(b -> b.describe(state.plan().concentration(), scheduler.delivered()))),
                new DeliveryStatus.Supply(reservoir.concentration(), reservoir.remaining(), hours, low, due, Optional.ofNullable(discrepancy),
                        reservoir.empty(options.volumePerMicrostep()), refillCheck, ledger.deadVolumeLeft()),
                new DeliveryStatus.Counts(scheduler.delivered(), state.plan().target(now), ledger.drug(), ledger.patientDrug(), lastDay,
                        overdose(lastDay), new Dose((long) Math.floor(prescribedNg))),
                new DeliveryStatus.Health(null, storageFailure, lastRestart(), stepper.fault().filter(f -> watchdog.trip().isEmpty()),
                        stepper.fault().isPresent() ? watchdog.trip() : Optional.empty(), memoryLostAt, storageWatch.health(),
                        storageWatch.alert(storageFailure)),
                state.plan());
    }

    /**
     * Why the drug that reached the patient in the last 24 h ({@code day}) is beyond what the drug library lets
     * into a day, if it is: whatever path it took (a priming beyond the dead volume, say), it is an
     * overdose to be told at once.
     */
    private Optional<String> overdose(Dose day) {
        DailyRate hard = state.therapy().limits().library().hardMaxDaily();
        if (day.nanograms() <= hard.nanogramsPerDay()) {
            return Optional.empty();
        }
        return Optional.of(day + " reached the patient in the last 24 h, above the hard limit of " + hard
                + " (library.daily-dose.hard-max)");
    }

    /** Adds what the prescription asked for since the last pass (see {@link Prescription#accrue}). */
    private void accruePrescription(long now) {
        if (now - prescribedAtNanos <= 0) {
            return;
        }
        prescribedNg = prescription.accrue(prescribedNg, prescribedAtNanos, now);
        prescribedAtNanos = now;
    }

    /** What the prescription asks for from now until the next pass, for {@link #accruePrescription}. */
    private void notePrescription(Optional<Program> program, long now) {
        prescription = new Prescription(prescribed(program, now), program.flatMap(Program::periodicBolus)
                .filter(p -> state.therapy().periodicAnchor().isPresent()), state.therapy().periodicAnchor().orElse(0));
    }

    /** What the program asks for now: the plan's basal, unless a suspension set that to zero. */
    private DailyRate prescribed(Optional<Program> program, long now) {
        if (program.isEmpty()) {
            return DailyRate.ZERO;
        }
        return state.therapy().suspension().isEmpty() ? state.plan().basal() : program.get().basalRateAt(clock.instantAt(now).atZone(clock.zone()));
    }

    // ------------------------------------------------------------------ what a restart must not forget

    /** The state to keep, as of now. */
    DurableState durableState() {
        long now = clock.nanos();
        List<Therapy.Entry> history = state.therapy().programHistory(now);
        Optional<DurableState.Dated<Program>> running = history.isEmpty() ? Optional.empty()
                : Optional.of(new DurableState.Dated<>(wallAt(history.get(history.size() - 1).sinceNanos()),
                        history.get(history.size() - 1).program()));
        return new DurableState(running,
                history.stream().map(e -> new DurableState.Dated<>(wallAt(e.sinceNanos()), e.program())).toList(),
                state.therapy().recentBoluses(now).stream().map(b -> new DurableState.Bolus(wallAt(b.startNanos()), b.dose(), b.kind())).toList(),
                state.therapy().suspension().map(s -> wallAt(s.sinceNanos())),
                state.therapy().suspension().flatMap(s -> s.untilNanos().isPresent() ? Optional.of(wallAt(s.untilNanos().getAsLong())) : Optional.empty()),
                reservoir.remaining(), reservoir.concentration(), scheduler.delivered(), state.plan().concentration(), ledger.drugBillionths(),
                ledger.unassignedPl(), state.bridge().isPresent() ? OptionalLong.of(state.bridge().get().untilMicrostep()) : OptionalLong.empty(),
                state.bridge().map(Bridge::to), state.therapy().revision(),
                state.bolus().map(b -> new DurableState.RunningBolus(b.description(), wallAt(b.endNanos()),
                        b.kind() == BolusKind.PRIMING, b.disconnected())),
                state.therapy().periodicAnchor().isPresent() ? Optional.of(wallAt(state.therapy().periodicAnchor().getAsLong())) : Optional.empty(),
                new DurableState.Patient(ledger.patientBillionths(), ledger.patientByHour().byHour().stream()
                        .map(h -> new DurableState.Dated<>(wallAt(h.startNanos()), h.billionths())).toList(),
                        OptionalLong.of(ledger.deadVolumeFilledPl()), OptionalLong.of(options.catheterVolume().picolitres())),
                state.therapy().recentPrimings(now).stream().map(p -> new DurableState.Dated<>(wallAt(p.startNanos()), p.volume())).toList(),
                memoryLostAt);
    }

    /**
     * Puts back the state of a previous run, the scheduler already at the recovered count (which
     * may be ahead of the state's, by what the write-ahead record counted on the safe side).
     * Delivery goes on at the programmed rate from now: what the gap missed is never made up, and a
     * bolus cut off by the restart is not resumed. Times move from wall to this boot's monotonic clock,
     * through the restart's instant as the gap says it (a wall clock behind the heartbeat is not believed).
     */
    public void restore(DurableState s, RestartGap gap, long now, long uncertainMicrosteps) {
        long delivered = scheduler.delivered();
        Recovery r = Recovery.of(s, gap, now, delivered, state.therapy().limits(), options.volumePerMicrostep(), this::wallAt, clock.zone());
        // The reservoir as recorded; the ledger then books the microsteps the record is ahead by.
        reservoir.restore(s.reservoirRemaining(), s.reservoirConcentration());
        memoryLostAt = s.memoryLostAt();
        ledger.restore(s.deliveredMicrosteps(), s.drugBillionths(), s.unassignedPl(), s.patient().billionths(),
                deadVolumeFilled(s.patient()),
                s.patient().byHour().stream().map(h -> new DoseWindow.Step(r.monotonic(h.since()), h.value())).toList(),
                delivered, s.counting(), restoredPurpose(s), now);
        r.state().therapy().program().ifPresent(this::programChanged);
        adopt(r.state());
        r.suspensionEndedInGap().ifPresent(until -> event("resumed", "timer", Map.of("why", "timed suspension ended at " + until
                + " while the controller was down", "rate", state.plan().basal().toString())));
        restarted(gap, now, uncertainMicrosteps, r.bolusCutOff(), r.dueFrom(), s.suspendedUntil());
    }

    /**
     * Journals a restart: how long the pump was gone (from its last heartbeat), what the program
     * would have delivered meanwhile (not made up now), and how many microsteps the write-ahead
     * record counted as delivered beyond the last snapshot, and a bolus the restart cut off (not resumed).
     */
    public void restarted(RestartGap gap, long now, long uncertainMicrosteps, Optional<String> bolusCutOff) {
        ledger.assumeDeadVolumeFull(); // a pump ran before and kept no state: its catheter may well be full
        restarted(gap, now, uncertainMicrosteps, bolusCutOff, Optional.of(gap.lastHeartbeat()), Optional.empty());
    }

    /**
     * As {@link #restarted(RestartGap, long, long, Optional)}, the program having been due to deliver
     * from {@code dueFrom} on (a timed suspension that ended in the gap), or not at all in the gap
     * (empty). A gap the wall clock cannot tell is told as a lower bound, and corrected once the
     * clock is set ({@link #correctGap}).
     */
    private void restarted(RestartGap gap, long now, long uncertainMicrosteps, Optional<String> bolusCutOff, Optional<Instant> dueFrom,
            Optional<Instant> suspendedUntil) {
        Optional<Program> program = state.therapy().program();
        RestartReport report = RestartReport.of(gap, now, uncertainMicrosteps, bolusCutOff, dueFrom, suspendedUntil, program,
                options.volumePerMicrostep(), clock.zone());
        restart = Optional.of(report);
        event("controller-restarted", "pump", report.details(gap, scheduler.delivered(), program, state.therapy().suspension().isPresent(),
                clock.instantAt(now)));
        Logger.warn("restarted after {}{} s without heartbeat; {}{} not delivered meanwhile (not made up); delivery resumes at the"
                + " programmed rate", gap.known() ? "" : "at least ", gap.atLeast().toSeconds(), gap.known() ? "" : "at least ",
                report.restart().missed());
        dirty = true;
        publish(now);
    }

    /**
     * Once the wall clock can be believed ({@link RestartReport#corrected}), the restart's gap and
     * missed dose are journaled again ({@code restart-gap-corrected}); a timed suspension restored
     * across the gap ends when it was always going to.
     */
    private void correctGap(long now) {
        Instant wallNow = clock.instantAt(now);
        Optional<RestartReport.Correction> told = restart.orElseThrow().corrected(wallNow, now, clock.wallClockState().synchronised(),
                state.therapy().program(), clock.zone());
        if (told.isEmpty()) {
            return;
        }
        RestartReport.Correction c = told.get();
        long atLeastSeconds = restart.orElseThrow().restart().gap().toSeconds();
        restart = Optional.of(c.next());
        c.overruled().ifPresent(shorter -> Logger.warn("the synchronised clock puts the restart {} s after the last heartbeat, less than"
                + " the {} s the machine had been up; keeping the lower bound", shorter.toSeconds(), atLeastSeconds));
        c.suspendedUntil().ifPresent(until -> state.therapy().suspension().filter(s -> s.untilNanos().isPresent())
                .ifPresent(s -> state = state.withTherapy(state.therapy()
                        .withSuspensionUntil(now + Math.max(0, Duration.between(wallNow, until).toNanos())))));
        event("restart-gap-corrected", "pump", c.details());
        Logger.warn("wall clock set: the restart came {} s after the last heartbeat; {} of basal was missed (not made up)",
                c.next().restart().gap().toSeconds(), c.next().restart().missed());
    }

    /** The dead volume to take as filled after a restart ({@link DurableState.Patient#deadVolumeFilledUnder}), saying so if it changed. */
    private long deadVolumeFilled(DurableState.Patient p) {
        long configured = options.catheterVolume().picolitres();
        long filled = p.deadVolumeFilledUnder(configured);
        if (p.deadVolumeChangedFrom(configured)) {
            Logger.warn("catheter.volume changed from {} to {}: {} of it is taken as still to fill, as before; a new catheter is primed"
                    + " disconnected", new Volume(p.deadVolumePl().getAsLong()), options.catheterVolume(), new Volume(configured - filled));
        }
        return filled;
    }

    /** The last restart of this run, if it was one. */
    public Optional<Restart> lastRestart() {
        return restart.map(RestartReport::restart);
    }

    /**
     * A problem with the pump's memory found at start (an unreadable database set aside): journaled
     * in whatever memory the pump has now, and shown in status until the process ends. Called
     * before the loops start.
     */
    public void storageAlert(String alert) {
        this.storageAlert = Optional.of(alert);
        this.memoryLostAt = Optional.of(clock.instant());
        dirty = true; // the new memory must know it was lost, across another restart
        ledger.assumeDeadVolumeFull(); // what was in the catheter is forgotten: no priming into a patient on that account
        event("storage-alert", "pump", Map.of("alert", alert));
        publish(clock.nanos());
    }

    /** Concentration the plan counts in: the reservoir's, or a placeholder before anything is known. */
    Concentration planConcentration() {
        return state.plan().concentration();
    }
}
