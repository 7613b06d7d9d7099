package org.openitb.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.openitb.clock.Clock;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.RestartGap;
import org.openitb.drivers.annunciator.Annunciator;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.journal.TherapyEvent;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.tinylog.Logger;

/**
 * The alarm state machine, ticked by the input loop: each tick it finds the conditions present,
 * raises, updates and clears alarms (high ones latch until acknowledged), applies the
 * acknowledgements queued since the last tick, re-annunciates an acknowledged alarm whose silence
 * ran out while its condition holds, keeps the withdrawal-risk estimate and attaches it, and shows
 * the highest priority on the annunciator. Every transition goes to the listener (journal, store,
 * telemetry). Other threads only {@link #acknowledge} (a bounded queue) and read {@link #view}.
 */
public final class AlarmSupervisor {

    /** Leads the message of a latched alarm whose condition ended, until it comes back or is acknowledged. */
    static final String ENDED = "condition ended, latched until acknowledged; it was: ";
    /** Leads the message of an alarm cleared because its condition ended (one that does not latch, or was acknowledged). */
    static final String GONE = "condition ended; it was: ";

    /** Acknowledgements waiting for the loop at most; more are refused as busy. */
    public static final int ACK_QUEUE_LIMIT = 32;
    /** Open alarms at most: one per type and subject cannot reach it, so reaching it is a broken invariant. */
    public static final int OPEN_LIMIT = 256;
    /** The supervisor wants a tick at least this often, for silences, timers and the risk estimate. */
    static final long TICK_NANOS = 1_000_000_000L;
    /** After a restart, how long the inputs get to settle before a restored alarm is taken to have lost its condition. */
    static final long SETTLE_NANOS = 5_000_000_000L;
    /** How often the risk estimate is handed over to be saved. */
    static final long RISK_SAVE_NANOS = 60_000_000_000L;

    /** What acknowledging answered. */
    public record AckResult(boolean ok, String message, Optional<Alarm> alarm) {
    }

    /** What the supervisor shows other threads: the alarms not cleared, and the risk estimate. */
    public record View(List<Alarm> open, Optional<RiskEstimate> risk) {
        public View {
            open = List.copyOf(open);
        }
    }

    private record PendingAck(String id, String who, CompletableFuture<AckResult> result) {
    }

    private final AlarmSettings settings;
    private final Clock clock;
    private final Annunciator annunciator;
    private final Consumer<AlarmEvent> listener;
    private final Consumer<TherapyEvent> journal;
    private final Consumer<RiskRecord> riskSaver;
    private final ConditionDetector detector;
    private final WithdrawalRisk risk;
    private final AlarmIds ids;
    private final ArrayBlockingQueue<PendingAck> acks = new ArrayBlockingQueue<>(ACK_QUEUE_LIMIT);
    private long nextTickNanos = Long.MIN_VALUE;
    /** Open alarms by key, oldest first. */
    private final Map<String, Alarm> open = new LinkedHashMap<>();
    private volatile View view = new View(List.of(), Optional.empty());
    private volatile Runnable wake = () -> { };
    /**
     * The worst risk level of the interruption under way (back to NONE once the level recovers
     * fully): a rise is told only beyond it, so a level hovering at a threshold, as each microstep
     * lifts it and the gap between lowers it, is not told again and again.
     */
    private RiskLevel worstRisk = RiskLevel.NONE;
    /** Since when the level has stayed below {@link #worstRisk}; a level flapping at a threshold is not a new rise each time. */
    private long calmSinceNanos = Long.MIN_VALUE;
    /** How long the level must stay lower before a new rise is journaled again. */
    static final long RISK_CALM_NANOS = 10 * 60_000_000_000L;
    private Optional<RiskRestore> pendingRisk = Optional.empty();
    /** The restart gap the estimate was continued across, until the wall clock corrects it (null: not restored). */
    private Duration restoredGap;
    private long riskSaveNanos = Long.MIN_VALUE;
    /** The prescription's total last handed to the estimate, ng: never handed a smaller one. */
    private long prescribedPassedNg = Long.MIN_VALUE;
    /** Until then, restored alarms are not cleared for want of a condition the inputs have not settled on yet. */
    private long settleUntilNanos = Long.MIN_VALUE;

    /** The estimate to continue from, and the gap since it as the restart could tell it (a lower bound when the clock was wrong). */
    private record RiskRestore(Optional<RiskRecord> memory, RestartGap gap, long restoreNanos) {
    }

    public AlarmSupervisor(AlarmSettings settings, Clock clock, Annunciator annunciator, Consumer<AlarmEvent> listener,
            Consumer<TherapyEvent> journal, Consumer<RiskRecord> riskSaver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.annunciator = Objects.requireNonNull(annunciator, "annunciator");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.riskSaver = Objects.requireNonNull(riskSaver, "riskSaver");
        this.detector = new ConditionDetector(settings);
        this.risk = new WithdrawalRisk(settings.risk());
        this.ids = new AlarmIds();
        warmUp();
    }

    /**
     * Runs the code of a first alarm once, on nothing, so the first real alarm is as quick as the
     * next: loading those classes takes milliseconds the moment an occlusion trips cannot spare.
     */
    private void warmUp() {
        Instant at = clock.instant();
        Alarm sample = new Alarm("WARM-0", AlarmType.OCCLUSION, "", Priority.HIGH, AlarmState.RAISED, true, at, at, "warm-up",
                Map.of("n", 1L), risk.estimate(), Optional.empty(), 0).acknowledged("warm-up", at, 0).with(AlarmState.CLEARED, at);
        AlarmJson.fromRecord(AlarmJson.toRecord(sample));
        AlarmJson.of("warm-up", sample);
        AlarmJson.journalDetails(sample);
        new AlarmEvent(AlarmEvent.Transition.RAISED, sample, "warm-up").transition().journalType();
        new TherapyEvent("warm-up", at, 0, "warm-up", Map.of());
    }

    /** Tells the hang detection the motor watchdog's timeout in pump time (see {@code DOSE_LOOP_HUNG}). */
    public void doseLoopWatchdog(Duration timeout) {
        detector.loopSilentAfter(timeout);
    }

    /** What to call to make the loop tick at once, set when the loop starts. */
    public void wakeWith(Runnable wake) {
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /**
     * Puts back the alarms a previous run had not cleared (they keep their ids and states; an
     * acknowledged one gets a fresh silence) and the risk estimate it last saved; without one, the
     * patient is taken to have been at steady state at the last heartbeat. Called before the first tick.
     */
    public void restore(List<Alarm> alarms, Optional<RiskRecord> memory, RestartGap gap) {
        long now = clock.nanos();
        for (Alarm a : alarms) {
            if (a.state() == AlarmState.CLEARED) {
                continue;
            }
            long silence = a.state() == AlarmState.ACKNOWLEDGED ? now + settings.silence().toNanos() : 0;
            open.put(a.key(), new Alarm(a.id(), a.type(), a.subject(), a.priority(), a.state(), a.conditionPresent(), a.raisedAt(),
                    a.changedAt(), a.message(), a.details(), a.risk(), a.acknowledgedBy(), silence));
            ids.taken(a.id());
        }
        pendingRisk = Optional.of(new RiskRestore(memory, gap, now));
        settleUntilNanos = now + SETTLE_NANOS;
        publish();
    }

    /**
     * Asks to acknowledge alarm {@code id} on behalf of {@code who}; the future completes at the
     * next tick. A full queue is refused at once.
     */
    public CompletableFuture<AckResult> acknowledge(String id, String who) {
        CompletableFuture<AckResult> result = new CompletableFuture<>();
        if (!acks.offer(new PendingAck(Objects.requireNonNull(id, "id"), Objects.requireNonNull(who, "who"), result))) {
            result.complete(new AckResult(false, "the alarm supervisor is busy (" + ACK_QUEUE_LIMIT + " acknowledgements waiting); try again",
                    Optional.empty()));
        } else {
            wake.run();
        }
        return result;
    }

    /** The open alarms and the risk estimate, as of the last tick. */
    public View view() {
        return view;
    }

    /**
     * Whether a pass is needed even though nothing observed has changed: an acknowledgement waits,
     * or a tick period has gone by (the time-based conditions and the risk estimate move on).
     */
    public boolean due(long now) {
        return !acks.isEmpty() || nextTickNanos == Long.MIN_VALUE || now - nextTickNanos >= 0;
    }

    /** One pass: returns when to come back (monotonic ns). */
    public long tick(long now, Observation o) {
        // Stamped when seen, not when the tick began: the sensors were read in between.
        Instant at = clock.instant();
        updateRisk(now, o, at);
        Map<String, Condition> present = detector.detect(o, now, risk.estimate().map(RiskEstimate::level).orElse(RiskLevel.NONE));
        for (Condition c : present.values()) {
            Alarm a = open.get(c.key());
            if (a == null) {
                raise(c, at);
            } else {
                update(a, c, at);
            }
        }
        boolean settled = settleUntilNanos == Long.MIN_VALUE || now - settleUntilNanos >= 0;
        for (Alarm a : List.copyOf(open.values())) {
            if (a.conditionPresent() && !present.containsKey(a.key()) && settled) {
                conditionGone(a, at);
            }
        }
        PendingAck ack;
        while ((ack = acks.poll()) != null) {
            ack.result().complete(applyAck(ack.id(), ack.who(), now, at));
        }
        reannunciate(now, at);
        attachRisk(at, now);
        annunciate(now);
        publish();
        nextTickNanos = now + TICK_NANOS;
        return nextTickNanos;
    }

    private void raise(Condition c, Instant at) {
        if (open.size() >= OPEN_LIMIT) {
            throw new IllegalStateException(open.size() + " alarms open: the supervisor is broken");
        }
        Alarm a = new Alarm(ids.next(c.type(), at), c.type(), c.subject(), c.priority(), AlarmState.RAISED, !c.momentary(), at, at, c.message(),
                c.details(), c.type().withdrawalRisk() ? risk.estimate() : Optional.empty(), Optional.empty(), 0);
        open.put(a.key(), a);
        Logger.warn("alarm {} {} ({}): {}", a.id(), a.type(), a.priority(), a.message());
        emit(AlarmEvent.Transition.RAISED, a, "pump");
    }

    private void update(Alarm a, Condition c, Instant at) {
        if (c.momentary()) {
            // The same moment told again with corrected figures: it wants reading again.
            Alarm corrected = a.condition(false, a.priority().max(c.priority()), c.message(), c.details()).with(AlarmState.RAISED, at);
            open.put(a.key(), corrected);
            Logger.warn("alarm {} {} corrected: {}", a.id(), a.type(), c.message());
            emit(AlarmEvent.Transition.UPDATED, corrected, "pump");
            return;
        }
        boolean escalated = c.priority().compareTo(a.priority()) > 0;
        boolean back = !a.conditionPresent();
        Alarm now = a.condition(true, a.priority().max(c.priority()), c.message(), c.details());
        if (back) {
            // Latched from before, and the cause is back (a stall, a release, a stall): tell it again.
            now = escalated ? now.with(AlarmState.RAISED, at) : now.at(at);
            open.put(a.key(), now);
            Logger.warn("alarm {} {}: condition back while latched", a.id(), a.type());
            emit(AlarmEvent.Transition.CONDITION_RETURNED, now, "pump");
        } else if (escalated) {
            // A rise in priority wants attention again, acknowledged or not.
            now = now.with(AlarmState.RAISED, at);
            open.put(a.key(), now);
            emit(AlarmEvent.Transition.ESCALATED, now, "pump");
        } else {
            open.put(a.key(), now);
        }
    }

    /** The condition is gone: the alarm ends, unless it latches and nobody acknowledged it yet. */
    private void conditionGone(Alarm a, Instant at) {
        // The raising message ("delivery halted until it clears") no longer holds: say the condition ended.
        String was = a.message().startsWith(ENDED) ? a.message().substring(ENDED.length()) : a.message();
        boolean stays = a.latches() && a.state() == AlarmState.RAISED;
        Alarm gone = a.condition(false, a.priority(), (stays ? ENDED : GONE) + was, a.details());
        if (stays) {
            gone = gone.at(at);
            open.put(a.key(), gone);
            Logger.info("alarm {} {}: condition gone; latched until acknowledged", a.id(), a.type());
            emit(AlarmEvent.Transition.CONDITION_ENDED, gone, "pump");
            return;
        }
        clear(gone, at);
    }

    private void clear(Alarm a, Instant at) {
        open.remove(a.key());
        emit(AlarmEvent.Transition.CLEARED, a.with(AlarmState.CLEARED, at), "pump");
    }

    private AckResult applyAck(String id, String who, long now, Instant at) {
        Optional<Alarm> found = open.values().stream().filter(a -> a.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return new AckResult(false, "no open alarm " + id + (open.isEmpty() ? "; none is open"
                    : "; open: " + String.join(", ", open.values().stream().map(Alarm::id).toList())), Optional.empty());
        }
        Alarm a = found.get();
        boolean again = a.state() == AlarmState.ACKNOWLEDGED;
        Alarm acked = a.acknowledged(who, at, now + settings.silence().toNanos());
        open.put(a.key(), acked);
        emit(AlarmEvent.Transition.ACKNOWLEDGED, acked, who);
        if (!acked.conditionPresent()) {
            clear(acked, at);
            return new AckResult(true, "acknowledged " + id + "; its condition is gone, so it is cleared", Optional.of(acked));
        }
        return new AckResult(true, (again ? "acknowledged " + id + " again" : "acknowledged " + id) + "; silenced for "
                + Durations.format(settings.silence()) + ", it sounds again if its condition still holds then",
                Optional.of(acked));
    }

    private void reannunciate(long now, Instant at) {
        for (Alarm a : List.copyOf(open.values())) {
            if (a.state() == AlarmState.ACKNOWLEDGED && a.conditionPresent() && now - a.silencedUntilNanos() >= 0) {
                Alarm again = a.with(AlarmState.RAISED, at);
                open.put(a.key(), again);
                Logger.warn("alarm {} {} sounds again: its condition outlasted the silence", a.id(), a.type());
                emit(AlarmEvent.Transition.REANNUNCIATED, again, "pump");
            }
        }
    }

    /**
     * The prescription's total at {@code now}: the dose loop accrues it, so while the loop is stuck
     * (frozen, starved) its snapshot stands still, yet the prescription goes on. It is carried on
     * from the snapshot's instant at its average rate, and never told smaller than before (the loop's
     * own figure, when it reports again, may come out a little under the carried one).
     */
    private Dose prescribedBy(long now, DeliveryStatus d) {
        long since = Math.max(0, now - d.nanos());
        long carried = d.counts().prescribedDrug().nanograms() + (long) Math.floor(d.running().prescribedPerDay().nanogramsPerDay() * (since / 86_400e9));
        prescribedPassedNg = Math.max(prescribedPassedNg, carried);
        return new Dose(prescribedPassedNg);
    }

    private void updateRisk(long now, Observation o, Instant at) {
        // What reached the patient: priming that only filled the dead volume, or pushed with the catheter disconnected, did not.
        Dose toPatient = o.delivery().counts().patientDrug();
        if (pendingRisk.isPresent()) {
            RiskRestore r = pendingRisk.get();
            pendingRisk = Optional.empty();
            // On the heartbeat's timeline: the wall clock may be wrong after a power cut, the gap's lower bound is not.
            Instant assumedNow = r.gap().lastHeartbeat().plus(r.gap().atLeast()).plusNanos(Math.max(0, now - r.restoreNanos()));
            restoredGap = r.gap().atLeast();
            prescribedPassedNg = o.delivery().counts().prescribedDrug().nanograms();
            risk.restore(r.memory(), r.gap().lastHeartbeat(), assumedNow, now, toPatient, o.delivery().counts().prescribedDrug(),
                    o.delivery().running().prescribedPerDay());
        } else {
            // A restart's gap corrected once the wall clock was set: the estimate decays over the rest of it too.
            o.delivery().health().lastRestart().filter(r -> restoredGap != null && r.gap().compareTo(restoredGap) > 0).ifPresent(r -> {
                risk.extendGap(r.gap().minus(restoredGap));
                restoredGap = r.gap();
            });
            risk.update(now, toPatient, prescribedBy(now, o.delivery()), o.delivery().running().prescribedPerDay());
        }
        if (now - riskSaveNanos >= RISK_SAVE_NANOS || riskSaveNanos == Long.MIN_VALUE) {
            riskSaveNanos = now;
            risk.memory(at).ifPresent(riskSaver);
        }
    }

    /** Keeps the estimate on withdrawal alarms; a rise in level is journaled and re-emitted on each of them. */
    private void attachRisk(Instant at, long now) {
        Optional<RiskEstimate> estimate = risk.estimate();
        RiskLevel level = estimate.map(RiskEstimate::level).orElse(RiskLevel.NONE);
        boolean rose = level.compareTo(worstRisk) > 0;
        if (rose) {
            worstRisk = level;
            calmSinceNanos = Long.MIN_VALUE;
        } else if (level.compareTo(worstRisk) < 0) {
            if (calmSinceNanos == Long.MIN_VALUE) {
                calmSinceNanos = now;
            } else if (now - calmSinceNanos >= RISK_CALM_NANOS) {
                worstRisk = level;
                calmSinceNanos = Long.MIN_VALUE;
            }
        } else {
            calmSinceNanos = Long.MIN_VALUE;
        }
        if (rose) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("level", level.wire());
            details.put("percentOfPrescribed", estimate.get().percent());
            estimate.get().etaNextLevelMinutes().ifPresent(m -> details.put("etaNextLevelMinutes", m));
            details.put("estimate", true);
            journal("withdrawal-risk-rose", details);
            Logger.warn("{}", estimate.get().describe());
        }
        Priority atLeast = priorityFor(level);
        for (Alarm a : List.copyOf(open.values())) {
            if (a.withdrawalRisk()) {
                RiskLevel had = a.risk().map(RiskEstimate::level).orElse(RiskLevel.NONE);
                Alarm withRisk = a.withRisk(estimate);
                if (a.conditionPresent() && atLeast.compareTo(a.priority()) > 0) {
                    // The estimate outran the alarm's own priority (a suspension's timer, a medium type): it wants attention now.
                    withRisk = withRisk.condition(true, atLeast, a.message(), a.details()).with(AlarmState.RAISED, at);
                    open.put(a.key(), withRisk);
                    Logger.warn("alarm {} {} escalated to {}: {}", a.id(), a.type(), atLeast, estimate.get().describe());
                    emit(AlarmEvent.Transition.ESCALATED, withRisk, "pump");
                    continue;
                }
                open.put(a.key(), withRisk);
                if (rose && a.conditionPresent() && level.compareTo(had) > 0) {
                    emit(AlarmEvent.Transition.ESCALATED, withRisk, "pump");
                }
            }
        }
    }

    /**
     * The least priority a withdrawal-relevant alarm may have at risk {@code level}: medium once the
     * estimate is high, high once it is critical (whichever comes first: the alarm's own rule or this).
     */
    static Priority priorityFor(RiskLevel level) {
        return switch (level) {
            case CRITICAL -> Priority.HIGH;
            case HIGH -> Priority.MEDIUM;
            default -> Priority.NONE;
        };
    }

    /**
     * The light shows the highest open priority; the sound follows the highest alarm not silenced
     * (raised), so an acknowledged high alarm does not lend its pattern to a new lower one.
     */
    private void annunciate(long now) {
        Priority light = Priority.NONE;
        Priority sound = Priority.NONE;
        for (Alarm a : open.values()) {
            light = light.max(a.priority());
            if (a.state() == AlarmState.RAISED) {
                sound = sound.max(a.priority());
            }
        }
        annunciator.show(light, sound, now);
    }

    private void emit(AlarmEvent.Transition transition, Alarm alarm, String who) {
        try {
            listener.accept(new AlarmEvent(transition, alarm, who));
        } catch (RuntimeException e) {
            Logger.error(e, "alarm listener failed on {} {}", transition, alarm.id());
        }
        journal(transition.journalType(), AlarmJson.journalDetails(alarm), who);
    }

    private void journal(String type, Map<String, Object> details) {
        journal(type, details, "pump");
    }

    private void journal(String type, Map<String, Object> details, String who) {
        long now = clock.nanos();
        try {
            journal.accept(new TherapyEvent(type, clock.instantAt(now), now, who, details));
        } catch (RuntimeException e) {
            Logger.error(e, "journal failed on {}", type);
        }
    }

    private void publish() {
        List<Alarm> list = new ArrayList<>(open.values());
        list.sort(Comparator.comparing(Alarm::priority).reversed().thenComparing(Alarm::raisedAt));
        view = new View(list, risk.estimate());
    }
}
