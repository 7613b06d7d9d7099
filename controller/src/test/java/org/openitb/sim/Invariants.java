package org.openitb.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmEvent;
import org.openitb.config.PumpConfig;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.ExactIdeal;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Program;
import org.openitb.therapy.Volume;

/**
 * What must hold whatever the fault simulator does, checked after every pass of the loops and at
 * every microstep's rising edge on STEP:
 * <ul>
 * <li>with no fault active, delivered is within one microstep of the plan's ideal, and the plan
 * within one microstep of an exact, independent integral of the prescription (two where a bolus
 * overlaps the basal: each is floored on its own);</li>
 * <li>no step while the occlusion, stall or end-of-travel input has read active for longer than
 * its debounce, while suspended, or while the volume model says empty;</li>
 * <li>no catch-up: from every resumption (after a halt, a suspension, a hung loop or a restart)
 * delivered grows by no more than the prescription from that moment;</li>
 * <li>every interruption of delivery to the patient longer than the pump can be expected to
 * notice ({@link #noticeWithin}) has a withdrawal-risk alarm by then;</li>
 * <li>the volume model never goes negative, nor does the syringe give more than was put in.</li>
 * </ul>
 * The monotonic clock starts again with every restarted pump, so each pump is {@link #attach}ed.
 */
final class Invariants {

    /** Thrown when an invariant does not hold. */
    static final class Violation extends AssertionError {
        Violation(String message) {
            super(message);
        }
    }

    private static final List<String> INTERLOCKING_INPUTS = List.of("occlusion", "stall", "end-of-travel");
    /** What the pump may take beyond an input's debounce to stop: the pass the edge wakes plus the step under way. */
    private static final long STOP_SLACK_NANOS = 1_000_000L;
    /** Slack on top of the expected time to notice an interruption: a supervisor period and a poll, generously. */
    private static final long NOTICE_SLACK_NANOS = Duration.ofMinutes(2).toNanos();

    private final PumpConfig config;
    private final long plPerMicrostep;
    private final Map<String, Long> debounceNanos = new HashMap<>();

    private Bench bench;
    private int alarmIndex;
    private DeliveryStatus last;
    private boolean wasDelivering;
    private long lastBasalNgPerDay = -1;

    /** Upper bound since the last resumption: the prescription integrated while delivering, plus what a bolus cut in two may still give. */
    private ExactIdeal allowed;
    private long allowedExtra;
    /** The exact ideal of a clean segment (started by a command with no fault active, delivering throughout), if one runs. */
    private ExactIdeal exact;
    private boolean exactHasBolus;

    private final Map<String, Long> inputActiveSince = new HashMap<>();
    private boolean suspendedByCommand;
    /** The program the pump was last seen to accept. */
    private Optional<Program> running = Optional.empty();
    private boolean empty;
    private boolean faultActive;
    /** Since when a fault ended and the scheduler may still be working off steps made late by it (a short hang), if it may. */
    private long settlingSinceNanos = Long.MIN_VALUE;
    /** How long working off late steps may take: they go at up to the step-rate limit, so seconds at most. */
    private static final long SETTLE_NANOS = Duration.ofMinutes(1).toNanos();

    private long lastPatientNanos;
    private long lastPatientCount;
    private long minPrescribedNgPerDay = Long.MAX_VALUE;
    private final Set<String> openWithdrawal = new HashSet<>();
    private long lastWithdrawalRaisedNanos = Long.MIN_VALUE;
    /** The last moment a withdrawal-risk alarm was seen open: one open across a resumption still covers the stop. */
    private long lastWithdrawalOpenNanos = Long.MIN_VALUE;

    /** Microsteps put in the syringe by the last refill (or at start), and emitted since. */
    private long filledMicrosteps;
    private long emittedSinceFill;

    private long microstepsEmitted;
    private long checks;

    Invariants(PumpConfig config) {
        this.config = config;
        this.plPerMicrostep = config.mechanics().volumePerMicrostep().picolitres();
        config.sensors().sensors().forEach(s -> debounceNanos.put(s.name(), s.debounce().toNanos()));
    }

    /** Starts watching a (new or restarted) pump; nothing it did before counts. */
    void attach(Bench bench, boolean firstStart) {
        this.bench = bench;
        this.alarmIndex = 0;
        long now = bench.clock.nanos();
        bench.afterEachPass(this::pass);
        bench.plant.onMicrostep(this::step);
        last = bench.pump.controller().snapshot();
        if (firstStart) {
            filledMicrosteps = last.supply().remaining().picolitres() / plPerMicrostep;
        }
        wasDelivering = false;
        lastBasalNgPerDay = -1;
        exact = null;
        allowed = null;
        inputActiveSince.clear();
        openWithdrawal.clear();
        for (Alarm a : bench.pump.supervisor().view().open()) {
            if (a.type().withdrawalRisk()) {
                openWithdrawal.add(a.id());
            }
        }
        suspendedByCommand = last.running().suspendedSinceNanos().isPresent();
        lastPatientNanos = now;
        lastPatientCount = bench.plant.deliveredToPatient();
        minPrescribedNgPerDay = Long.MAX_VALUE;
        lastWithdrawalRaisedNanos = Long.MIN_VALUE;
        lastWithdrawalOpenNanos = Long.MIN_VALUE;
        pass(now);
    }

    // ------------------------------------------------------------------ told by the simulator

    /** A fault began or ended; {@code active} is whether any is active now. Either way the segment is no longer clean. */
    void faults(boolean active) {
        faultActive = active;
        settlingSinceNanos = bench.clock.nanos();
        exact = null;
        refreshInputs(bench.clock.nanos());
    }

    /**
     * A therapy command was accepted at the current instant. Program, bolus and resume start a
     * segment the plan follows exactly; a refill starts counting the syringe again.
     */
    void accepted(String kind, long bolusNanograms, Duration bolusOver) {
        long now = bench.clock.nanos();
        DeliveryStatus s = bench.pump.controller().snapshot();
        switch (kind) {
            case "suspend" -> {
                suspendedByCommand = true;
                exact = null;
            }
            case "resume" -> suspendedByCommand = false;
            case "refill" -> {
                filledMicrosteps = s.supply().remaining().picolitres() / plPerMicrostep;
                emittedSinceFill = 0;
            }
            default -> { }
        }
        if (!s.running().state().equals("delivering")) {
            return;
        }
        switch (kind) {
            case "program", "resume" -> {
                rebase(now, s);
                // A bolus under way goes on under the new program, from a remainder only the plan knows.
                exact = faultActive || s.running().bolus().isPresent() ? null : newIdeal(now, s);
                exactHasBolus = false;
            }
            case "bolus" -> {
                allowed.bolus(now, bolusNanograms, bolusOver.toNanos());
                if (!faultActive) {
                    exact = newIdeal(now, s);
                    exact.bolus(now, bolusNanograms, bolusOver.toNanos());
                    exactHasBolus = true;
                }
            }
            default -> { }
        }
    }

    /** The pump runs {@code program} from now on: its periodic boluses are part of the prescription. */
    void program(Program program) {
        running = Optional.of(program);
    }

    /** A periodic bolus of the running program started at this pass: prescribed, so allowed, and part of the exact integral. */
    private void periodic(long now, DeliveryStatus s, boolean delivering) {
        boolean started = s.running().bolusKind().filter(k -> k == BolusKind.PERIODIC).isPresent()
                && !last.running().bolusKind().filter(k -> k == BolusKind.PERIODIC).isPresent();
        var p = running.flatMap(Program::periodicBolus);
        if (!started || p.isEmpty() || !delivering || allowed == null) {
            return;
        }
        allowed.bolus(now, p.get().dose().nanograms(), p.get().over().toNanos());
        if (exact != null && !exactHasBolus) {
            exact.bolus(now, p.get().dose().nanograms(), p.get().over().toNanos());
            exactHasBolus = true;
        } else {
            exact = null;
        }
    }

    /** A priming of {@code volume} was accepted: its microsteps are on top of the prescription, once; the segment is not clean. */
    void primed(Volume volume) {
        allowedExtra += volume.picolitres() / plPerMicrostep + 1;
        exact = null;
    }

    /** A refill or resume is about to be submitted: steps may follow within the same pass. */
    void aboutToRefillOrResume() {
        empty = false;
        suspendedByCommand = false;
    }

    /** An input may have changed outside a step (a fault injected, pressure bled off): note when it went active. */
    void refreshInputs(long now) {
        for (String input : INTERLOCKING_INPUTS) {
            if (bench.plant.inputActive(input)) {
                inputActiveSince.putIfAbsent(input, now);
            } else {
                inputActiveSince.remove(input);
            }
        }
    }

    long microstepsEmitted() {
        return microstepsEmitted;
    }

    long checks() {
        return checks;
    }

    // ------------------------------------------------------------------ watched

    private void step(long now) {
        microstepsEmitted++;
        emittedSinceFill++;
        if (suspendedByCommand && bench.plant.catheterConnected()) {
            // Only a priming with the catheter off the patient may push while delivery is suspended.
            throw new Violation("a microstep while suspended");
        }
        if (empty) {
            throw new Violation("a microstep while the volume model says the reservoir is empty");
        }
        if (emittedSinceFill > filledMicrosteps) {
            throw new Violation("the syringe gave " + emittedSinceFill + " microsteps since it was filled with " + filledMicrosteps);
        }
        for (String input : INTERLOCKING_INPUTS) {
            if (bench.plant.inputActive(input)) {
                long since = inputActiveSince.computeIfAbsent(input, k -> now);
                long allowedNanos = debounceNanos.get(input) + STOP_SLACK_NANOS;
                if (now - since > allowedNanos) {
                    throw new Violation("a microstep " + Duration.ofNanos(now - since).toMillis() + " ms after the " + input
                            + " input went active (debounce " + Duration.ofNanos(debounceNanos.get(input)).toMillis() + " ms)");
                }
            } else {
                inputActiveSince.remove(input);
            }
        }
    }

    private void pass(long now) {
        checks++;
        DeliveryStatus s = bench.pump.controller().snapshot();
        alarms(now);
        if (s.supply().remaining().picolitres() < 0) {
            throw new Violation("the reservoir model went negative: " + s.supply().remaining());
        }
        empty = s.supply().empty();
        boolean delivering = s.running().state().equals("delivering");
        // A suspension in force, whether or not a halt shows over it.
        if (s.running().suspendedSinceNanos().isPresent()) {
            suspendedByCommand = true;
        } else if (last.running().suspendedSinceNanos().isPresent()) {
            suspendedByCommand = false;
            lastPatientNanos = now; // an intended suspension is not an interruption once it ends
        }
        if (delivering && !wasDelivering) {
            rebase(now, s); // a resumption: nothing of the stop may be caught up
            exact = null;
        } else if (!delivering && wasDelivering) {
            allowed.basal(now, 0);
            allowed.cancelBolus(now);
            exact = null;
        } else if (delivering && s.running().basal().nanogramsPerDay() != lastBasalNgPerDay) {
            allowed.basal(now, s.running().basal().nanogramsPerDay());
            if (exact != null) {
                exact.basal(now, s.running().basal().nanogramsPerDay());
            }
        }
        lastBasalNgPerDay = delivering ? s.running().basal().nanogramsPerDay() : -1;
        wasDelivering = delivering;
        periodic(now, s, delivering);
        if (s.counts().deliveredMicrosteps() != last.counts().deliveredMicrosteps() || !s.running().state().equals(last.running().state())
                || s.counts().idealMicrosteps() != last.counts().idealMicrosteps()) {
            bounds(now, s, delivering);
        }
        interruption(now, s);
        last = s;
    }

    private void bounds(long now, DeliveryStatus s, boolean delivering) {
        if (allowed != null && s.counts().deliveredMicrosteps() > allowed.floorAt(now) + allowedExtra + 1) {
            throw new Violation("delivered " + s.counts().deliveredMicrosteps() + " microsteps, more than prescribed since the last resumption ("
                    + (allowed.floorAt(now) + allowedExtra) + "): a catch-up or an over-delivery");
        }
        boolean onTime = Math.abs(s.counts().deliveredMicrosteps() - s.counts().idealMicrosteps()) <= 1;
        if (onTime || now - settlingSinceNanos > SETTLE_NANOS) {
            settlingSinceNanos = Long.MIN_VALUE;
        }
        if (delivering && !faultActive && !onTime && settlingSinceNanos == Long.MIN_VALUE) {
            throw new Violation("delivered " + s.counts().deliveredMicrosteps() + " is more than one microstep from the plan's ideal " + s.counts().idealMicrosteps()
                    + " with no fault active (late steps are worked off within " + Duration.ofNanos(SETTLE_NANOS).toSeconds() + " s)");
        }
        if (exact != null && delivering) {
            long tolerance = exactHasBolus ? 2 : 1;
            long independent = exact.floorAt(s.nanos());
            if (Math.abs(s.counts().idealMicrosteps() - independent) > tolerance) {
                throw new Violation("the plan's ideal " + s.counts().idealMicrosteps() + " is more than " + tolerance
                        + " microstep from the exact integral of the prescription, " + independent);
            }
        }
    }

    private void interruption(long now, DeliveryStatus s) {
        long patient = bench.plant.deliveredToPatient();
        long prescribed = s.running().prescribed().nanogramsPerDay();
        if (patient != lastPatientCount || prescribed == 0 || s.supply().concentration().isEmpty()) {
            lastPatientCount = patient;
            lastPatientNanos = now;
            minPrescribedNgPerDay = Long.MAX_VALUE;
            return;
        }
        minPrescribedNgPerDay = Math.min(minPrescribedNgPerDay, prescribed);
        long limit = noticeWithin(minPrescribedNgPerDay, s.supply().concentration().get().nanogramsPerMl(), s.running().suspendedSinceNanos().isPresent());
        if (!openWithdrawal.isEmpty()) {
            lastWithdrawalOpenNanos = now;
        }
        if (now - lastPatientNanos > limit && lastWithdrawalOpenNanos < lastPatientNanos && lastWithdrawalRaisedNanos < lastPatientNanos) {
            throw new Violation("nothing reached the patient for " + Duration.ofNanos(now - lastPatientNanos).toMinutes()
                    + " min and no withdrawal-risk alarm was raised (the pump should notice within "
                    + Duration.ofNanos(limit).toMinutes() + " min); pump " + s.running().state() + " " + s.running().haltReasons() + ", delivered "
                    + s.counts().deliveredMicrosteps() + " of ideal " + s.counts().idealMicrosteps() + " (snapshot " + Duration.ofNanos(now - s.nanos()).toSeconds()
                    + " s old), open alarms " + bench.pump.supervisor().view().open().stream().map(a -> a.type() + " " + a.state()).toList());
        }
    }

    /**
     * How long an interruption may last before a withdrawal-risk alarm must be up, from the
     * configuration: three step intervals (an occluded line trips the pressure switch on its third
     * microstep), the time for the small delivery tolerance to build up at the prescribed rate and
     * then last {@code alarm.delivery.sustained}, a step interval more, and two minutes of slack.
     * While suspended on purpose: {@code alarm.suspend.after} and the slack.
     */
    long noticeWithin(long prescribedNgPerDay, long concentrationNgPerMl, boolean suspended) {
        var alarms = config.alarms();
        double microstepsPerNano = prescribedNgPerDay * 1e9 / ((double) concentrationNgPerMl * plPerMicrostep) / 86_400e9;
        double interval = 1 / microstepsPerNano;
        double tolerance = (alarms.smallTolerance().picolitres() / (double) plPerMicrostep) * interval;
        long deficit = (long) (4 * interval + tolerance) + alarms.sustained().toNanos() + NOTICE_SLACK_NANOS;
        return suspended ? Math.max(deficit, alarms.suspendAlarmAfter().toNanos() + NOTICE_SLACK_NANOS) : deficit;
    }

    private void alarms(long now) {
        List<AlarmEvent> events = bench.alarmEvents;
        while (alarmIndex < events.size()) {
            AlarmEvent e = events.get(alarmIndex++);
            if (!e.alarm().type().withdrawalRisk()) {
                continue;
            }
            switch (e.transition()) {
                case RAISED, ESCALATED, REANNUNCIATED -> {
                    openWithdrawal.add(e.alarm().id());
                    lastWithdrawalRaisedNanos = now;
                }
                case CLEARED -> {
                    openWithdrawal.remove(e.alarm().id());
                    lastWithdrawalOpenNanos = now;
                }
                default -> { }
            }
        }
    }

    private void rebase(long now, DeliveryStatus s) {
        allowed = newIdeal(now, s);
        // A bolus cut short by the stop may go on: its whole dose is allowed on top, once.
        allowedExtra = s.running().bolus().isPresent() ? Math.max(lastBolusMicrosteps(s),
                config.delivery().primingMax().picolitres() / plPerMicrostep + 1) : 0;
    }

    private ExactIdeal newIdeal(long now, DeliveryStatus s) {
        long concentration = s.supply().concentration().map(c -> c.nanogramsPerMl()).orElse(1L);
        return new ExactIdeal(now, s.counts().deliveredMicrosteps(), s.running().state().equals("delivering") ? s.running().basal().nanogramsPerDay() : 0, concentration,
                plPerMicrostep);
    }

    private long lastBolusMicrosteps(DeliveryStatus s) {
        long concentration = s.supply().concentration().map(c -> c.nanogramsPerMl()).orElse(1L);
        // The library's largest bolus, in microsteps: an upper bound whatever bolus is under way.
        return config.library().maxBolus().nanograms() * 1_000_000_000L / (concentration * plPerMicrostep) + 1;
    }
}
