package org.openitb.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmEvent;
import org.openitb.alarm.AlarmState;
import org.openitb.alarm.AlarmType;
import org.openitb.config.PumpConfig;
import org.openitb.journal.JournalEntry;
import org.openitb.store.PumpStore;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * A deterministic bench session drawn from one seed, in the manner of TigerBeetle's VOPR: valid
 * and invalid programs, boluses, refills, suspends and acknowledgements, and faults (occlusion,
 * stall, stuck and chattering inputs, a lying reservoir switch, a hung dose loop, broker outages,
 * restarts, power cuts, a slow or failing state disk ({@link SimulatedStorage}), wall-clock jumps;
 * time zones with daylight saving), all on the simulated clock, with
 * {@link Invariants} checked at every pass and every microstep, and the drug library, the
 * telemetry outbox and the journal checked against what was done. A failure names the seed, the
 * simulated time and the last actions, and how to replay it.
 * <p>
 * Faults follow the single-fault condition of risk analysis: an input is never stuck hiding the
 * very condition that is physically present on its channel, since no pump can see that.
 */
final class FaultSimulator {

    /** The outcome of one seed. */
    record Result(long seed, Duration simulated, int commands, int refused, int faults, int restarts, int powerCuts, long microsteps,
            long alarmEvents, long checks, int clockChanges, BigDecimal worstDayMcg, String disk) {
        String line() {
            return String.format("seed %d: %.1f days, %d commands (%d refused), %d faults, %d restarts (%d power cuts), %d microsteps,"
                    + " %d alarm events, %d daylight-saving changes, %d checks, at most %s mcg to the patient in 24 h; %s: ok", seed,
                    simulated.toMinutes() / 1440.0, commands, refused, faults, restarts, powerCuts, microsteps, alarmEvents, clockChanges, checks,
                    worstDayMcg.setScale(1, RoundingMode.HALF_UP).toPlainString(), disk);
        }
    }

    private enum Fault { OCCLUSION, STALL, STUCK, RESERVOIR_SWITCH, FREEZE, BROKER, SUSPEND, DISK }

    /** A step more than the bound beyond its mark must have STORAGE_TOO_SLOW up within this (the supervisor's pass, generously). */
    private static final long SLOW_NOTICE_NANOS = Duration.ofMinutes(1).toNanos();
    /** How finely a power cut in the middle of fast delivery picks its moment. */
    private static final long CUT_SLICE_NANOS = 20_000_000L;

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Sydney"), ZoneId.of("UTC"));
    private static final List<String> INPUTS = List.of("occlusion", "stall", "end-of-travel", "reservoir-low");
    private static final int RECENT = 40;
    /** How often a waiting sender looks for its answer, in simulated time. */
    private static final long ANSWER_POLL_NANOS = 10_000_000L;

    private final long seed;
    private final Random random;
    private final Duration length;
    private final Path stateDir;
    private final PumpConfig config;
    private final Invariants invariants;
    private final LibraryReferee referee;
    private final PatientReferee patient;
    private final SimulatedBroker broker;
    private final SimulatedStorage storage;
    private final long boundMicrosteps;
    private int powerCuts;
    /** A power cut the last record could not know of: steps out beyond a landed mark after it was written (the documented limit). */
    private long unrecordedAtCuts;
    /** An applied command whose save failed (the disk failing): a power cut would forget it, as its sender was told. */
    private boolean unsaved;
    /** Journal events counted since the database last took a commit, and those a power cut may have taken with it. */
    private final Map<String, Integer> countedSinceLanding = new HashMap<>();
    private final Map<String, Integer> mayBeLost = new HashMap<>();
    private final Map<String, Long> raisedMayBeLost = new TreeMap<>();
    private long publishableMayBeLost;
    private long lastPulseChecked = -1;
    /** How many of this pump's alarm events the database had taken at its last commit. */
    private int alarmEventsLanded;
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final EnumSet<Fault> active = EnumSet.noneOf(Fault.class);
    private final PriorityQueue<Ending> endings = new PriorityQueue<>(Comparator.comparingLong(Ending::atNanos));
    private Bench bench;
    private long elapsedNanos;
    private String stuckInput;
    private boolean stuckPresent;
    private Optional<Boolean> reservoirSwitch = Optional.empty();
    private int commands;
    private int refused;
    private int faults;
    private int restarts;
    private long alarmEvents;
    private long publishableAlarmEvents;
    private final Map<String, Long> raised = new TreeMap<>();
    private final Map<String, Integer> journaled = new HashMap<>();
    /** Commands whose sender stopped waiting: the loop must refuse them when it comes back. */
    private final List<CompletableFuture<CommandResult>> unanswered = new ArrayList<>();

    private record Ending(long atNanos, Fault fault) {
    }

    private FaultSimulator(long seed, Duration length, Path stateDir) {
        this.seed = seed;
        this.random = new Random(seed);
        this.length = length;
        this.stateDir = stateDir;
        // The shipped config, polled and watched at the slow ends of their ranges so that thousands of
        // days run in CI's time: edges still wake the input loop at once, and a hung loop still trips the watchdog.
        this.config = Bench.shippedConfig(Map.of("sensors.poll-interval", "1s", "sensors.self-test-period", "1m", "stepper.watchdog", "10s"));
        this.referee = new LibraryReferee(config);
        this.patient = new PatientReferee(config);
        this.invariants = new Invariants(config);
        this.broker = new SimulatedBroker(config.mqtt().unreachableAfter());
        this.boundMicrosteps = config.delivery().crashUncertaintyMicrosteps(config.mechanics());
        this.storage = new SimulatedStorage(seed, boundMicrosteps);
        storage.onDatabaseLanding(this::databaseLanded);
    }

    /** Runs the session of {@code seed} for {@code length} of simulated time in {@code stateDir}; throws an AssertionError naming the seed on a violation. */
    static Result run(long seed, Duration length, Path stateDir) {
        return new FaultSimulator(seed, length, stateDir).run();
    }

    private Result run() {
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        // Anywhere in a year; half the time up to three days before a daylight-saving change, so
        // that even a week-long session crosses one.
        Instant start = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(random.nextInt(365 * 24 * 60)));
        var change = zone.getRules().nextTransition(start);
        if (change != null && random.nextBoolean()) {
            start = change.getInstant().minus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
        }
        bench = Bench.asDaemon(start, zone, config, stateDir, storage);
        try {
            invariants.attach(bench, true);
            patient.attach(bench, 0);
            watch();
            did("start " + start + " in " + zone + " on a " + storage.profile() + " disk");
            // A new pump and a new catheter: the syringe declared, the catheter primed before it goes on the patient. A hurried
            // operator programs first, at a concentration that may not be the syringe's: that must be refused.
            bench.plant.emptyCatheter();
            command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), programConcentration())), false);
            command(new TherapyCommand.Refill(Volume.parse("20mL"), Concentration.parse("500mcg/mL"), Optional.empty()), false);
            primeDisconnected(Volume.parse("0.25mL"), false); // the catheter was made empty above
            command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))), false);
            while (elapsedNanos < length.toNanos()) {
                act();
                long chunk = logUniform(Duration.ofMinutes(1).toNanos(), Duration.ofHours(4).toNanos());
                runUntil(Math.min(elapsedNanos + chunk, length.toNanos()));
                broker.drain(bench.store());
            }
            finish();
            int clockChanges = 0;
            for (var t = zone.getRules().nextTransition(start); t != null && t.getInstant().isBefore(start.plus(length));
                    t = zone.getRules().nextTransition(t.getInstant())) {
                clockChanges++;
            }
            String disk = storage.line() + (unrecordedAtCuts > 0 ? ", " + unrecordedAtCuts + " microsteps out beyond every record at power cuts"
                    : "");
            return new Result(seed, length, commands, refused, faults, restarts, powerCuts, invariants.microstepsEmitted(), alarmEvents,
                    invariants.checks() + patient.checks(), clockChanges, patient.worstDayMcg(), disk);
        } catch (Throwable t) {
            throw new AssertionError(failure(t), t);
        } finally {
            bench.close();
        }
    }

    private String failure(Throwable t) {
        return String.format("fault simulation seed %d failed at day %.3f: %s%n  last actions:%n    %s%n  replay: %s", seed,
                elapsedNanos / 86_400e9, t.getMessage() == null ? t.toString() : t.getMessage(), String.join("\n    ", recent),
                FaultSimulationTest.replayCommand(seed, length));
    }

    // ------------------------------------------------------------------ actions

    private void act() throws Exception {
        int pick = random.nextInt(100);
        if (pick < 10) {
            programContinuous();
        } else if (pick < 14) {
            programFlex();
        } else if (pick < 24) {
            bolus();
        } else if (pick < 30 || lowReservoir()) {
            refill();
        } else if (pick < 36) {
            suspend();
        } else if (pick < 50) {
            acknowledge();
        } else if (pick < 55) {
            start(Fault.OCCLUSION, Duration.ofMinutes(1), Duration.ofHours(6));
        } else if (pick < 59) {
            start(Fault.STALL, Duration.ofSeconds(10), Duration.ofHours(3));
        } else if (pick < 63) {
            stick();
        } else if (pick < 66) {
            chatter();
        } else if (pick < 70) {
            start(Fault.RESERVOIR_SWITCH, Duration.ofMinutes(5), Duration.ofHours(12));
        } else if (pick < 74) {
            start(Fault.FREEZE, Duration.ofSeconds(2), Duration.ofMinutes(40));
        } else if (pick < 79) {
            start(Fault.BROKER, Duration.ofMinutes(1), Duration.ofHours(8));
        } else if (pick < 83) {
            restart();
        } else if (pick < 86) {
            jumpWallClock();
        } else if (pick < 91) {
            prime();
        } else if (pick < 94) {
            powerCut();
        } else if (pick < 96) {
            start(Fault.DISK, Duration.ofSeconds(10), Duration.ofMinutes(30));
        }
    }

    private boolean lowReservoir() {
        return bench.status().supply().remaining().compareTo(Volume.parse("3mL")) < 0 && random.nextInt(3) > 0;
    }

    private Concentration concentration() {
        return bench.status().supply().concentration().orElse(Concentration.parse("500mcg/mL"));
    }

    /** A rate near the one prescribed now (so the titration limit bites sometimes), or anywhere, now and then. */
    private DailyRate rate() {
        long now = Math.max(50, bench.status().running().prescribed().nanogramsPerDay() / 1000);
        long mcg = random.nextInt(10) == 0 ? 20 + random.nextInt(1700) : Math.round(now * (0.6 + 0.9 * random.nextDouble()));
        return DailyRate.ofMicrogramsPerDay(Math.max(1, mcg));
    }

    private Concentration programConcentration() {
        if (random.nextInt(10) > 0) {
            return concentration();
        }
        return Concentration.ofMicrogramsPerMl(List.of(50L, 500L, 750L, 1000L, 2000L).get(random.nextInt(5)));
    }

    private void programContinuous() throws Exception {
        command(new TherapyCommand.SetProgram(new ContinuousProgram(rate(), programConcentration(), periodicBolus())), random.nextInt(4) == 0);
    }

    /** Now and then a periodic bolus on top of a program: 5 to 50 mcg every 2 to 8 h over 10 to 30 min. */
    private Optional<PeriodicBolus> periodicBolus() {
        if (random.nextInt(4) > 0) {
            return Optional.empty();
        }
        return Optional.of(new PeriodicBolus(Dose.ofMicrograms(5 + random.nextInt(46)), Duration.ofHours(2 + random.nextInt(7)),
                Duration.ofMinutes(10 + random.nextInt(21))));
    }

    /**
     * Priming, as a hurried nurse might try it (a volume pushed into the catheter on the patient) or
     * as it should be done (delivery suspended, the catheter taken off the patient, now and then a new
     * one put on, primed, put back on once the priming has ended, delivery resumed).
     */
    private void prime() throws Exception {
        if (random.nextBoolean()) {
            command(new TherapyCommand.Prime(new Volume(1_000_000L * (10 + random.nextInt(1_500)))), false);
            return;
        }
        boolean delivering = !bench.status().running().mode().equals("none") && bench.status().running().suspendedSinceNanos().isEmpty();
        if (delivering && !command(new TherapyCommand.Suspend(Optional.empty()), false)) {
            return;
        }
        boolean fresh = random.nextInt(3) == 0;
        // A new catheter gets at least its volume: less would leave it part empty, which no pump can see.
        primeDisconnected(new Volume(1_000_000L * (fresh ? 250 + random.nextInt(750) : 100 + random.nextInt(1_000))), fresh);
        if (delivering) {
            invariants.aboutToRefillOrResume();
            command(new TherapyCommand.Resume(), false);
        }
    }

    /**
     * The catheter off the patient, {@code volume} primed into the open, the catheter back on once
     * the priming has ended. With {@code fresh}, a new (empty) catheter goes on once the pump has
     * taken the priming: a nurse whose priming is refused keeps the old one, primed.
     */
    private void primeDisconnected(Volume volume, boolean fresh) throws Exception {
        did("catheter off the patient");
        bench.plant.connectCatheter(false);
        if (command(new TherapyCommand.Prime(volume, true), false)) {
            if (fresh) {
                did("a new catheter");
                bench.plant.emptyCatheter();
            }
            // At 1 mL/min, done within 70 s; the nurse waits until the pump says the priming is over.
            for (int i = 0; i < 12 && bench.status().running().bolusKind().filter(k -> k == BolusKind.PRIMING).isPresent(); i++) {
                runUntil(elapsedNanos + Duration.ofSeconds(30).toNanos());
            }
        }
        bench.plant.connectCatheter(true);
        did("catheter back on the patient");
    }

    private void programFlex() throws Exception {
        if (random.nextInt(3) == 0) {
            lopsidedFlex();
            return;
        }
        int n = 2 + random.nextInt(3);
        TreeMap<LocalTime, FlexStep> steps = new TreeMap<>();
        while (steps.size() < n) {
            LocalTime at = LocalTime.of(random.nextInt(24), random.nextBoolean() ? 0 : 30);
            steps.put(at, new FlexStep(Optional.empty(), at, rate()));
        }
        command(new TherapyCommand.SetProgram(new FlexProgram(new FlexSchedule(new ArrayList<>(steps.values())), programConcentration(),
                Optional.empty())), random.nextInt(4) == 0);
    }

    /**
     * The day's dose as now, redistributed: 8 h at 1.5 to 4 times the rate in force, 16 h at what
     * is left (down to nothing), or now and then at next to nothing. Only the daily total may look
     * unchanged; each step is a rate far from the one in force at its time of day, or a 0mcg/day gap.
     */
    private void lopsidedFlex() throws Exception {
        long now = Math.max(50_000, bench.status().running().prescribed().nanogramsPerDay());
        long high = (long) (now * (1.5 + 2.5 * random.nextDouble()));
        // Now and then the rest of the day at next to nothing (under 10 mcg/day): a stop in all but name.
        long low = random.nextInt(4) == 0 ? random.nextInt(10_000) : Math.max(0, (3 * now - high) / 2);
        LocalTime from = LocalTime.of(random.nextInt(24), 0);
        command(new TherapyCommand.SetProgram(new FlexProgram(new FlexSchedule(List.of(new FlexStep(Optional.empty(), from, new DailyRate(high)),
                new FlexStep(Optional.empty(), from.plusHours(8), new DailyRate(low)))), concentration(), Optional.empty())), random.nextInt(4) == 0);
    }

    private void bolus() throws Exception {
        Dose dose = Dose.ofMicrograms(1 + random.nextInt(150));
        Duration over = Duration.ofSeconds(30 + random.nextInt(3600));
        command(new TherapyCommand.StartBolus(dose, over), random.nextInt(4) == 0);
    }

    private void refill() throws Exception {
        Volume volume = Volume.ofMillilitres(5 + random.nextInt(16));
        Concentration c = random.nextInt(10) == 0 ? Concentration.parse("1000mcg/mL") : concentration();
        // Half the time the residual drawn off is declared: what the plunger says is left, give or take, now and then far off.
        Optional<Volume> withdrawn = Optional.empty();
        if (random.nextBoolean()) {
            long leftPl = (bench.plant.travelMicrosteps() - bench.plant.plungerMicrosteps()) * config.mechanics().volumePerMicrostep().picolitres();
            long offPl = random.nextInt(10) == 0 ? 1_000_000_000L * (1 + random.nextInt(3)) : 1_000_000L * random.nextInt(100);
            withdrawn = Optional.of(new Volume(Math.max(0, leftPl + (random.nextBoolean() ? offPl : -offPl))));
        }
        invariants.aboutToRefillOrResume();
        command(new TherapyCommand.Refill(volume, c, Optional.empty(), withdrawn), false);
    }

    private void suspend() throws Exception {
        if (active.contains(Fault.SUSPEND)) {
            invariants.aboutToRefillOrResume();
            command(new TherapyCommand.Resume(), false);
            active.remove(Fault.SUSPEND);
            return;
        }
        boolean timed = random.nextBoolean();
        Duration d = Duration.ofMinutes(10 + random.nextInt(300));
        if (command(new TherapyCommand.Suspend(timed ? Optional.of(d) : Optional.empty()), false) && !timed) {
            active.add(Fault.SUSPEND);
            endings.add(new Ending(elapsedNanos + d.toNanos(), Fault.SUSPEND));
        }
    }

    /** A nurse answers: every open alarm acknowledged, or now and then an id that is not one. */
    private void acknowledge() {
        List<Alarm> open = bench.alarms();
        if (open.isEmpty() || random.nextInt(8) == 0) {
            String id = "OCC-" + Long.toHexString(random.nextLong());
            did("ack unknown " + id);
            if (bench.ack(id, "nurse").ok()) {
                throw new Invariants.Violation("an acknowledgement of an unknown alarm " + id + " was taken");
            }
            return;
        }
        for (Alarm a : open) {
            if (a.state() != AlarmState.RAISED) {
                continue;
            }
            did("ack " + a.id() + " " + a.type());
            var result = bench.ack(a.id(), "nurse");
            if (!result.ok() && bench.alarms().stream().anyMatch(x -> x.id().equals(a.id()))) {
                throw new Invariants.Violation("an open alarm could not be acknowledged: " + result.message());
            }
        }
    }

    /**
     * Sends a command with {@code --yes} as the control socket does (its sender waits 10 s); checks
     * an accepted one against the drug library. Returns whether it was applied.
     */
    private boolean command(TherapyCommand command, boolean override) throws Exception {
        commands++;
        Duration wait = Duration.ofSeconds(10);
        var status = bench.status();
        var world = new LibraryReferee.World(status.running().suspendedSinceNanos().isPresent(), bench.plant.catheterEmptyPl());
        var answer = bench.submitWaiting(CommandRequest.commit(command, "tester", OptionalLong.empty(), override), wait);
        // The sender waits: the loop may come back within the wait and answer after all. It stops
        // waiting as soon as it hears (as the control socket's client does), so the referees learn
        // of an accepted program when its sender does, not the rest of the wait later.
        long deadline = elapsedNanos + wait.toNanos();
        while (!answer.isDone() && elapsedNanos < deadline) {
            runUntil(Math.min(deadline, elapsedNanos + ANSWER_POLL_NANOS));
        }
        if (!answer.isDone()) {
            did(describe(command) + ": no answer (the dose loop is hung)");
            unanswered.add(answer);
            refused++;
            return false;
        }
        CommandResult result = answer.join();
        did(describe(command) + (override ? " --override-soft-limit" : "") + ": " + result.outcome()
                + (result.outcome() == CommandResult.Outcome.APPLIED ? "" : " (" + result.message() + ")"));
        if (result.outcome() != CommandResult.Outcome.APPLIED) {
            refused++;
            if (result.outcome() != CommandResult.Outcome.REFUSED) {
                throw new Invariants.Violation("a command neither applied nor refused: " + result);
            }
            return false;
        }
        referee.accepted(command, override, elapsedNanos, world);
        // Its sender waits for the save, as the control socket's does; if the disk is failing it is told "not yet saved".
        if (!storage.saveNow(bench.clock.nanos())) {
            unsaved = true;
            did("  not yet saved: the disk is failing");
        }
        switch (command) {
            case TherapyCommand.SetProgram p -> {
                count("program-changed");
                invariants.accepted("program", 0, Duration.ZERO);
                patient.programAccepted(p.program());
                invariants.program(p.program());
            }
            case TherapyCommand.Prime p -> invariants.primed(p.volume());
            case TherapyCommand.StartBolus b -> {
                count("bolus-started");
                invariants.accepted("bolus", b.dose().nanograms(), b.over());
            }
            case TherapyCommand.Refill r -> {
                count("refilled");
                invariants.accepted("refill", 0, Duration.ZERO);
            }
            case TherapyCommand.Suspend s -> {
                count("suspended");
                invariants.accepted("suspend", 0, Duration.ZERO);
            }
            case TherapyCommand.Resume r -> invariants.accepted("resume", 0, Duration.ZERO);
            default -> { }
        }
        return true;
    }

    // ------------------------------------------------------------------ faults

    private void start(Fault fault, Duration min, Duration max) {
        if (active.contains(fault) || (fault == Fault.OCCLUSION && "occlusion".equals(stuckInput) && !stuckPresent)
                || (fault == Fault.STALL && "stall".equals(stuckInput) && !stuckPresent)) {
            return;
        }
        long lasts = logUniform(min.toNanos(), max.toNanos());
        did("fault " + fault + " for " + Duration.ofNanos(lasts).toSeconds() + " s");
        faults++;
        active.add(fault);
        endings.add(new Ending(elapsedNanos + lasts, fault));
        apply(fault, true);
    }

    private void end(Fault fault) throws Exception {
        if (!active.contains(fault)) {
            return;
        }
        did("end of " + fault);
        if (fault == Fault.SUSPEND) {
            invariants.aboutToRefillOrResume();
            if (command(new TherapyCommand.Resume(), false) || !bench.status().running().suspended()) {
                active.remove(fault);
            } else {
                endings.add(new Ending(elapsedNanos + Duration.ofMinutes(10).toNanos(), Fault.SUSPEND)); // try again
            }
            return;
        }
        active.remove(fault);
        apply(fault, false);
    }

    private void apply(Fault fault, boolean on) {
        switch (fault) {
            case OCCLUSION -> bench.plant.occlude(on);
            case STALL -> bench.plant.stall(on);
            case STUCK -> bench.plant.stick(stuckInput, on ? Optional.of(stuckPresent) : Optional.empty());
            case RESERVOIR_SWITCH -> {
                if (on && reservoirSwitch.isEmpty()) {
                    reservoirSwitch = Optional.of(random.nextBoolean());
                } else if (!on) {
                    reservoirSwitch = Optional.empty();
                }
                bench.plant.reservoirSwitch(on ? reservoirSwitch : Optional.empty());
            }
            case FREEZE -> bench.freezeDoseLoop(on);
            case DISK -> storage.failing(on);
            case BROKER -> {
                if (on) {
                    broker.down(elapsedNanos);
                } else {
                    broker.up();
                }
            }
            default -> { }
        }
        if (fault != Fault.BROKER) {
            disturbed();
        }
    }

    private void stick() {
        if (active.contains(Fault.STUCK)) {
            return;
        }
        stuckInput = INPUTS.get(random.nextInt(INPUTS.size()));
        stuckPresent = random.nextBoolean();
        boolean hidesPresentFault = !stuckPresent && (("occlusion".equals(stuckInput) && active.contains(Fault.OCCLUSION))
                || ("stall".equals(stuckInput) && active.contains(Fault.STALL)) || "end-of-travel".equals(stuckInput));
        if (hidesPresentFault) {
            return;
        }
        did("stuck " + stuckInput + " reading " + (stuckPresent ? "present" : "absent"));
        start(Fault.STUCK, Duration.ofMinutes(1), Duration.ofHours(6));
    }

    private void chatter() {
        String input = INPUTS.get(random.nextInt(INPUTS.size()));
        int edges = 2 * (1 + random.nextInt(10));
        did("chatter " + input + " x" + edges);
        faults++;
        bench.plant.chatter(input, edges);
        disturbed();
    }

    private void restart() throws Exception {
        Duration down = Duration.ofSeconds(random.nextInt(3 * 3600));
        did("restart after " + down.toSeconds() + " s down");
        restarts++;
        bench.store().flush(Duration.ofSeconds(10));
        broker.drain(bench.store());
        tally();
        long emitted = storage.emitted();
        long peak = storage.peak();
        bench = bench.restartAfter(down);
        elapsedNanos += down.toNanos();
        count("controller-restarted");
        long booked = bench.delivered();
        // An orderly stop: everything that went out was counted; the mark reserved at most the bound, and a disk too slow for it left its run recorded.
        if (booked < emitted || booked > emitted + boundMicrosteps + peak) {
            throw new Invariants.Violation("after an orderly restart the pump counts " + booked + " microsteps delivered; " + emitted
                    + " had gone out (at most the bound " + boundMicrosteps + " and the largest uncovered run " + peak + " more may be booked); "
                    + bench.store().recovered().map(FaultSimulator::describe).orElse("nothing recovered"));
        }
        afterRestart();
    }

    /**
     * The power goes: no orderly stop, the disk keeps what it had landed. Half the time it goes
     * in the middle of fast delivery (a priming or a bolus), where steps run ahead of a slow disk.
     */
    private void powerCut() throws Exception {
        if (unsaved) {
            return; // the operator was told the last command is not saved; a cut now would forget it, as they were told
        }
        if (random.nextBoolean()) {
            if (random.nextBoolean()) {
                command(new TherapyCommand.Prime(new Volume(1_000_000L * (10 + random.nextInt(500)))), false);
            } else {
                bolus();
            }
            if (unsaved) {
                return;
            }
            // Within the next few seconds, and more likely while steps run ahead of the disk: where a cut costs most.
            long until = elapsedNanos + random.nextInt(5_000) * 1_000_000L;
            if (random.nextBoolean()) {
                long stall = 500_000_000L + random.nextInt(2_500) * 1_000_000L;
                did("the card stalls for " + stall / 1_000_000 + " ms");
                storage.stall(bench.clock.nanos(), stall);
            }
            while (elapsedNanos < until && !(storage.uncovered() > 0 && random.nextInt(3) == 0)) {
                advance(Math.min(CUT_SLICE_NANOS, until - elapsedNanos));
            }
        }
        Duration down = Duration.ofSeconds(random.nextInt(1800));
        restarts++;
        powerCuts++;
        broker.drain(bench.store()); // what the publisher had sent from the disk
        for (AlarmEvent e : bench.alarmEvents.subList(alarmEventsLanded, bench.alarmEvents.size())) {
            if (e.alarm().type() != AlarmType.BROKER_UNREACHABLE) {
                publishableMayBeLost++;
                if (e.transition() == AlarmEvent.Transition.RAISED) {
                    raisedMayBeLost.merge(e.alarm().type().name(), 1L, Long::sum);
                }
            }
        }
        tally();
        countedSinceLanding.forEach((type, n) -> mayBeLost.merge(type, n, Integer::sum));
        countedSinceLanding.clear();
        SimulatedStorage.Cut cut = bench.powerCut();
        did("power cut after " + cut.emitted() + " microsteps (mark on disk " + cut.durableMark() + ", mark in flight " + cut.markInFlight()
                + "), back after " + down.toSeconds() + " s");
        bench = bench.bootAfter(down);
        elapsedNanos += down.toNanos();
        count("controller-restarted");
        checkBooking(cut);
        afterRestart();
    }

    /**
     * The referee of a power cut, from the disk's own account: every step that went out is booked
     * as delivered (for the reservoir and the 24 h limits), except those no record could know of,
     * and no more than the bound and the largest recorded uncovered run beyond; the withdrawal
     * estimate is credited with no step that did not go out.
     */
    private void checkBooking(SimulatedStorage.Cut cut) {
        long booked = bench.delivered();
        var recovered = bench.store().recovered().orElseThrow(() -> new Invariants.Violation("a pump restarted after a power cut found no memory"));
        unrecordedAtCuts += cut.unrecorded();
        if (booked < cut.emitted() - cut.unrecorded()) {
            throw new Invariants.Violation("after a power cut the pump counts " + booked + " microsteps delivered, but " + cut.emitted()
                    + " had gone out (mark on disk " + cut.durableMark() + ", largest uncovered run it recorded " + cut.peakAtLastLanding() + "); "
                    + describe(recovered));
        }
        if (booked > cut.emitted() + boundMicrosteps + cut.peakAtLastLanding()) {
            throw new Invariants.Violation("after a power cut the pump counts " + booked + " microsteps delivered, " + cut.emitted()
                    + " had gone out: more than the bound " + boundMicrosteps + " and the recorded uncovered run " + cut.peakAtLastLanding() + " over");
        }
        if (recovered.confirmedMicrosteps() > cut.emitted()) {
            throw new Invariants.Violation("after a power cut the withdrawal estimate is credited with " + recovered.confirmedMicrosteps()
                    + " microsteps, but only " + cut.emitted() + " had gone out");
        }
        if (recovered.uncertainMicrosteps() != booked - recovered.confirmedMicrosteps()) {
            throw new Invariants.Violation("the restart states " + recovered.uncertainMicrosteps() + " uncertain microsteps, but it booked "
                    + booked + " of which " + recovered.confirmedMicrosteps() + " are known to have gone out");
        }
    }

    /** The database took a commit: what was counted before it is on disk. */
    private void databaseLanded() {
        countedSinceLanding.clear();
        unsaved = false;
        if (bench != null) {
            alarmEventsLanded = bench.alarmEvents.size();
        }
    }

    private void afterRestart() {
        active.remove(Fault.FREEZE); // a new process is not hung
        alarmEventsLanded = 0;
        invariants.attach(bench, false);
        patient.attach(bench, elapsedNanos);
        watch();
        for (Fault f : EnumSet.of(Fault.OCCLUSION, Fault.STALL, Fault.STUCK, Fault.RESERVOIR_SWITCH)) {
            if (active.contains(f)) {
                apply(f, true); // the bench is the same bench: what was wrong with it still is
            }
        }
        disturbed();
    }

    private void jumpWallClock() {
        Duration by = Duration.ofMinutes(random.nextInt(361) - 180);
        did("wall clock jumps by " + by.toMinutes() + " min");
        bench.clock.setWallTime(bench.clock.instant().plus(by));
        referee.wallClockJumped(elapsedNanos);
    }

    /** Delivery is held to the plan unless a fault that may stop it is active: a broker or a disk never may. */
    private void disturbed() {
        invariants.faults(active.stream().anyMatch(f -> f != Fault.BROKER && f != Fault.SUSPEND && f != Fault.DISK));
    }

    // ------------------------------------------------------------------ running and the end

    private void watch() {
        bench.pump.watchBroker(() -> broker.problem(elapsedNanos));
        bench.afterEachPass(now -> {
            // The pump's count is every pulse on the STEP pin plus what the restarts booked (each checked where it happened).
            if (storage.emitted() != lastPulseChecked) {
                lastPulseChecked = storage.emitted();
                if (bench.delivered() != lastPulseChecked) {
                    throw new Invariants.Violation("the pump counts " + bench.delivered() + " microsteps delivered, but the STEP pin and the"
                            + " restarts' bookings say " + lastPulseChecked);
                }
            }
            long first = storage.firstBeyondBoundNanos();
            if (first < 0) {
                return;
            }
            if (bench.alarm(AlarmType.STORAGE_TOO_SLOW).isPresent()) {
                storage.alarmSeen();
            } else if (now - first > SLOW_NOTICE_NANOS) {
                throw new Invariants.Violation("a microstep went out more than the bound (" + boundMicrosteps + ") beyond its mark "
                        + Duration.ofNanos(now - first).toSeconds() + " s ago and no STORAGE_TOO_SLOW alarm is up");
            }
        });
    }

    /** Runs the pump to {@code until}, ending the faults whose time comes on the way. */
    private void runUntil(long until) throws Exception {
        while (!endings.isEmpty() && endings.peek().atNanos() <= until) {
            Ending e = endings.poll();
            advance(e.atNanos() - elapsedNanos);
            end(e.fault());
        }
        advance(until - elapsedNanos);
    }

    private void advance(long nanos) {
        if (nanos <= 0) {
            return;
        }
        bench.run(Duration.ofNanos(nanos));
        elapsedNanos += nanos;
        for (var it = unanswered.iterator(); it.hasNext();) {
            var answer = it.next();
            if (answer.isDone()) {
                it.remove();
                if (answer.join().outcome() == CommandResult.Outcome.APPLIED) {
                    throw new Invariants.Violation("a command whose sender had given up was applied when the loop came back");
                }
            }
        }
    }

    /** Counts this pump's alarm events before it is replaced. */
    private void tally() {
        for (AlarmEvent e : bench.alarmEvents) {
            alarmEvents++;
            if (e.alarm().type() != AlarmType.BROKER_UNREACHABLE) {
                publishableAlarmEvents++;
                if (e.transition() == AlarmEvent.Transition.RAISED) {
                    raised.merge(e.alarm().type().name(), 1L, Long::sum);
                }
            }
        }
        bench.alarmEvents.clear();
        alarmEventsLanded = 0;
    }

    /** Everything queued reaches the broker once it is back, and the journal agrees with what was done. */
    private void finish() throws Exception {
        broker.up();
        if (!bench.store().flush(Duration.ofSeconds(10))) {
            throw new Invariants.Violation("the store did not take the last writes");
        }
        broker.drain(bench.store());
        tally();
        // A power cut takes what the disk had not taken: at most the events since its last commit.
        if (broker.alarmsReceived() > publishableAlarmEvents || broker.alarmsReceived() < publishableAlarmEvents - publishableMayBeLost) {
            throw new Invariants.Violation(publishableAlarmEvents + " alarm events happened (" + publishableMayBeLost
                    + " of them just before power cuts) but the broker received " + broker.alarmsReceived());
        }
        List<JournalEntry> journal = bench.store().history(PumpStore.JOURNAL_ROW_LIMIT);
        for (var expected : journaled.entrySet()) {
            // The commands' events; a periodic bolus starts by the program's own clock.
            long n = journal.stream().filter(e -> e.type().equals(expected.getKey()))
                    .filter(e -> !e.details().has("kind") || !e.details().get("kind").getAsString().equals("periodic")).count();
            int lost = mayBeLost.getOrDefault(expected.getKey(), 0);
            if (n > expected.getValue() || n < expected.getValue() - lost) {
                throw new Invariants.Violation("the journal has " + n + " " + expected.getKey() + " events, " + expected.getValue() + " happened ("
                        + lost + " just before power cuts)");
            }
        }
        Map<String, Long> raisedJournaled = new TreeMap<>();
        journal.stream().filter(e -> e.type().equals("alarm-raised")).map(e -> String.valueOf(e.details().get("alarm")).replace("\"", ""))
                .filter(t -> !t.equals(AlarmType.BROKER_UNREACHABLE.name())).forEach(t -> raisedJournaled.merge(t, 1L, Long::sum));
        for (String type : union(raised.keySet(), raisedJournaled.keySet())) {
            long happened = raised.getOrDefault(type, 0L);
            long n = raisedJournaled.getOrDefault(type, 0L);
            if (n > happened || n < happened - raisedMayBeLost.getOrDefault(type, 0L)) {
                throw new Invariants.Violation("the journal's raised alarms " + raisedJournaled + " are not those raised, " + raised
                        + " (of which these just before power cuts: " + raisedMayBeLost + ")");
            }
        }
        // The pump's count is every pulse on the STEP pin plus what each restart booked (checked there).
        if (bench.delivered() != storage.emitted()) {
            throw new Invariants.Violation("the delivered counter " + bench.delivered() + " does not agree with the pulses on the STEP pin"
                    + " and the restarts' bookings, " + storage.emitted());
        }
    }

    private void count(String journalType) {
        journaled.merge(journalType, 1, Integer::sum);
        countedSinceLanding.merge(journalType, 1, Integer::sum);
    }

    private static String describe(PumpStore.Recovered r) {
        return "recovered mark " + r.mark().microsteps() + ", state " + r.state().map(st -> st.deliveredMicrosteps()).orElse(-1L)
                + ", uncovered peak " + r.uncoveredPeak() + ", lane confirmed " + r.laneConfirmed();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private void did(String what) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(String.format("day %.3f: %s", elapsedNanos / 86_400e9, what));
    }

    private long logUniform(long min, long max) {
        return (long) Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
    }

    private static String describe(TherapyCommand c) {
        return switch (c) {
            case TherapyCommand.SetProgram p -> "program " + String.join("; ", p.program().describe());
            case TherapyCommand.StartBolus b -> "bolus " + b.dose() + " over " + b.over().toSeconds() + " s";
            case TherapyCommand.Refill r -> "refill " + r.volume() + " of " + r.concentration() + r.withdrawn().map(w -> " withdrawn " + w).orElse("");
            case TherapyCommand.Suspend s -> "suspend" + s.duration().map(d -> " for " + d.toMinutes() + " min").orElse("");
            case TherapyCommand.Resume r -> "resume";
            case TherapyCommand.Prime p -> "prime " + p.volume() + (p.disconnected() ? " --disconnected" : "");
            default -> c.toString();
        };
    }
}
