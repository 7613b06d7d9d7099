package org.openitb.alarm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.Interlocks;
import org.openitb.delivery.RefillCheck;
import org.openitb.delivery.Restart;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.drivers.sensor.SensorHealth;
import org.openitb.therapy.Durations;
import org.openitb.therapy.Volume;

/**
 * Turns one {@link Observation} into the alarm conditions present now. It remembers only what a
 * threshold over time needs: since when the small delivery tolerance is exceeded, and which
 * restart it has already reported (a restart is raised once; its alarm latches).
 */
final class ConditionDetector {

    /** The least silence of the dose loop taken for a hang, whatever its watchdog: a pause of a few seconds (a GC, a busy host) is not one. */
    static final Duration LOOP_SILENT_FLOOR = Duration.ofSeconds(30);

    /** How long the dose loop may stay silent before it counts as hung; see {@link #loopSilentAfter}. */
    private long loopSilentNanos = LOOP_SILENT_FLOOR.toNanos();

    private final AlarmSettings settings;
    private long deficitSinceNanos = Long.MIN_VALUE;
    private long excessSinceNanos = Long.MIN_VALUE;
    private Optional<Restart> reportedRestart = Optional.empty();
    /** The subject the restart was first told under: a correction of it keeps it. */
    private String restartSubject = "";
    private Optional<RefillCheck> reportedRefill = Optional.empty();

    ConditionDetector(AlarmSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The dose loop wakes at least every quarter of the motor watchdog's timeout (pump time, which
     * {@code simulate} stretches): silent for four timeouts, or 30 s if that is longer, it is hung.
     */
    void loopSilentAfter(Duration watchdogTimeout) {
        loopSilentNanos = Math.max(LOOP_SILENT_FLOOR.toNanos(), watchdogTimeout.multipliedBy(4).toNanos());
    }

    /** The conditions present at {@code now}, by key, the withdrawal-risk estimate being at {@code risk}. */
    Map<String, Condition> detect(Observation o, long now, RiskLevel risk) {
        Map<String, Condition> found = new LinkedHashMap<>();
        DeliveryStatus d = o.delivery();
        if (o.interlocks().contains(Interlocks.Reason.OCCLUSION)) {
            add(found, Condition.of(AlarmType.OCCLUSION, "occlusion: the catheter pressure switch tripped; delivery halted until it clears"));
        }
        if (o.interlocks().contains(Interlocks.Reason.END_OF_TRAVEL)) {
            add(found, Condition.of(AlarmType.END_OF_TRAVEL, "end of travel: the plunger is at the end of the syringe; delivery halted"));
        }
        if (o.interlocks().contains(Interlocks.Reason.MOTOR_STALL) || d.health().motorFault().isPresent()) {
            add(found, Condition.of(AlarmType.MOTOR_STALL, "motor stall: " + d.health().motorFault().orElse("the driver reports a stall")
                    + "; delivery halted"));
        }
        d.health().controllerFault().ifPresent(f -> add(found, Condition.of(AlarmType.CONTROLLER_FAULT, "controller fault: " + f
                + "; the motor was stopped in its safe state and is retried automatically once the dose loop runs again")));
        d.health().storageTooSlow().ifPresent(m -> add(found, Condition.of(AlarmType.STORAGE_TOO_SLOW, m)));
        if (d.supply().empty() && d.supply().concentration().isPresent()) {
            add(found, Condition.of(AlarmType.RESERVOIR_EMPTY, "reservoir empty by the volume model; delivery halted: refill"));
        }
        reservoir(found, d);
        delivery(found, d, now);
        d.counts().overdose().ifPresent(why -> add(found, new Condition(AlarmType.OVER_DELIVERY, "24h", AlarmType.OVER_DELIVERY.priority(),
                "overdose: " + why, Map.of("reachedPatientLast24h", d.counts().patientDrugLast24h().toString()))));
        suspension(found, d, now, risk);
        unprimed(found, d);
        restart(found, d);
        refill(found, d);
        o.sensors().forEach((name, health) -> {
            if (!health.ok()) {
                add(found, new Condition(AlarmType.SENSOR_FAULT, name, AlarmType.SENSOR_FAULT.priority(),
                        "sensor " + name + " cannot be believed (" + health.kind().name().toLowerCase(Locale.ROOT) + "): "
                                + health.detail(), Map.of("sensor", name, "fault", health.kind().name())));
            }
        });
        o.annunciatorFault().ifPresent(f -> add(found, Condition.of(AlarmType.ANNUNCIATOR_FAILURE,
                "the local alarm signals cannot sound: " + f)));
        d.health().storage().ifPresent(s -> add(found, Condition.of(AlarmType.STORAGE_FAILURE, "the pump's memory is failing: " + s)));
        d.health().memoryLostAt().ifPresent(at -> add(found, Condition.of(AlarmType.THERAPY_STATE_LOST, "the pump lost its memory of the therapy at "
                + at + ": it knows neither the program, nor the syringe, nor what was delivered, and delivers nothing until an operator"
                + " refills and programs it (the titration limit then needs the dose the patient was on)",
                Map.of("memoryLostAt", at.toString()))));
        if (o.storageFreeMb().isPresent() && o.storageFreeMb().getAsLong() < settings.storageLowFreeMb()) {
            add(found, Condition.of(AlarmType.STORAGE_LOW, "only " + o.storageFreeMb().getAsLong() + " MiB free for the pump's memory (alarm below "
                    + settings.storageLowFreeMb() + " MiB)", Map.of("freeMb", o.storageFreeMb().getAsLong())));
        }
        o.brokerProblem().ifPresent(b -> add(found, Condition.of(AlarmType.BROKER_UNREACHABLE, "remote monitoring is cut off: " + b)));
        return found;
    }

    private void reservoir(Map<String, Condition> found, DeliveryStatus d) {
        if (d.supply().empty()) {
            return;
        }
        if (d.supply().low().isPresent()) {
            add(found, Condition.of(AlarmType.RESERVOIR_LOW, "reservoir low: " + d.supply().low().get() + "; refill soon",
                    Map.of("reservoirMl", d.supply().remaining().toDisplayString())));
        } else if (d.supply().refillDue().isPresent()
                && Duration.between(d.at(), d.supply().refillDue().get()).compareTo(settings.refillNotice()) <= 0) {
            add(found, Condition.of(AlarmType.REFILL_DUE, "refill due by " + d.supply().refillDue().get() + " (the reservoir becomes low then)",
                    Map.of("refillDue", d.supply().refillDue().get().toString())));
        }
        d.supply().discrepancy().ifPresent(x -> add(found, Condition.of(AlarmType.RESERVOIR_DISCREPANCY,
                "the reservoir level switch and the volume model disagree (a leak or a refill error?): " + x)));
    }

    /**
     * Delivered against ideal, two thresholds: beyond the large one at once, beyond the small one
     * when sustained. And before that, whether the dose loop still reports at all: its snapshot
     * says what it last did, which a hung loop goes on saying.
     */
    private void delivery(Map<String, Condition> found, DeliveryStatus d, long now) {
        long silentNanos = now - d.nanos();
        if (silentNanos > loopSilentNanos) {
            add(found, Condition.of(AlarmType.DOSE_LOOP_HUNG, "the dose loop has not reported for " + silentNanos / 1_000_000_000L
                    + " s (its last word: " + d.running().state() + "); delivery is not under control", Map.of("silentSeconds", silentNanos / 1_000_000_000L)));
        }
        if (!"delivering".equals(d.running().state()) || d.running().priming()) {
            deficitSinceNanos = Long.MIN_VALUE;
            excessSinceNanos = Long.MIN_VALUE;
            // A halt or a suspension has its own alarm, and the risk estimate carries the rest; priming fills the catheter, it doses no one.
            return;
        }
        // The dose loop may have re-planned after this loop's tick began: never ask the plan about a time before it starts.
        long ideal = d.plan().target(Math.max(now, Math.max(d.nanos(), d.plan().startNanos())));
        long apart = ideal - d.counts().deliveredMicrosteps();
        long perMicrostepPl = d.plan().volumePerMicrostep().picolitres();
        long behindPl = Math.max(0, apart) * perMicrostepPl;
        long aheadPl = Math.max(0, -apart) * perMicrostepPl;
        deficitSinceNanos = tolerance(found, AlarmType.DELIVERY_DEFICIT, behindPl, deficitSinceNanos, now, apart,
                "delivery behind the program by ");
        excessSinceNanos = tolerance(found, AlarmType.OVER_DELIVERY, aheadPl, excessSinceNanos, now, -apart,
                "delivery ahead of the program by ");
    }

    private long tolerance(Map<String, Condition> found, AlarmType type, long offPl, long since, long now, long microsteps, String what) {
        if (offPl <= settings.smallTolerance().picolitres()) {
            return Long.MIN_VALUE;
        }
        long start = since == Long.MIN_VALUE ? now : since;
        boolean large = offPl > settings.largeTolerance().picolitres();
        if (large || now - start >= settings.sustained().toNanos()) {
            add(found, Condition.of(type, what + microlitres(offPl) + " (" + microsteps + " microsteps; tolerance "
                    + (large ? microlitres(settings.largeTolerance().picolitres()) + " at once"
                    : microlitres(settings.smallTolerance().picolitres()) + " for " + Durations.format(settings.sustained()))
                    + ")", Map.of("microsteps", microsteps, "volume", new Volume(offPl).toString())));
        }
        return start;
    }

    private static String microlitres(long picolitres) {
        return BigDecimal.valueOf(picolitres, 6).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "uL";
    }

    /**
     * A program delivering into a catheter not yet full: what it pushes fills the catheter, and the
     * patient gets nothing until it is full. Not during a priming (that is how it gets full), nor while
     * delivery is suspended or halted (their own alarms say so). Medium; the supervisor makes it high
     * once the estimate is critical, as every withdrawal-relevant alarm.
     */
    private void unprimed(Map<String, Condition> found, DeliveryStatus d) {
        long leftPl = d.supply().deadVolumeLeft().picolitres();
        if (leftPl == 0 || !"delivering".equals(d.running().state()) || d.running().priming() || d.supply().concentration().isEmpty()) {
            return;
        }
        long ngPerMl = d.supply().concentration().get().nanogramsPerMl();
        long ngPerDay = d.running().basal().nanogramsPerDay();
        String hours = ngPerDay == 0 ? "" : String.format(Locale.ROOT, " (about %.1f h at %s)",
                leftPl / 1e9 * ngPerMl / ngPerDay * 24, d.running().basal());
        Volume left = d.supply().deadVolumeLeft();
        add(found, new Condition(AlarmType.CATHETER_NOT_PRIMED, "", AlarmType.CATHETER_NOT_PRIMED.priority(), "the catheter is not primed: the program is filling its "
                + left.toDisplayString() + " of dead volume left, and no drug reaches the patient until it is full" + hours
                + "; prime it (prime --volume " + left.toDisplayString() + ")", Map.of("deadVolumeLeft", left.toString())));
    }

    /**
     * A suspension alarms when it has lasted {@code alarm.suspend.after}, or sooner if the risk
     * estimate is already high; its priority is the higher of its timer's and the estimate's.
     */
    private void suspension(Map<String, Condition> found, DeliveryStatus d, long now, RiskLevel risk) {
        if (d.running().suspendedSinceNanos().isEmpty()) {
            return;
        }
        Duration suspended = Duration.ofNanos(now - d.running().suspendedSinceNanos().getAsLong());
        Priority byRisk = AlarmSupervisor.priorityFor(risk);
        if (suspended.compareTo(settings.suspendAlarmAfter()) >= 0 || byRisk.compareTo(Priority.MEDIUM) >= 0) {
            Priority byTime = suspended.compareTo(settings.suspendEscalateAfter()) >= 0 ? Priority.HIGH : Priority.MEDIUM;
            Priority p = byTime.max(byRisk);
            add(found, new Condition(AlarmType.SUSPENDED_TOO_LONG, "", p, "delivery suspended for " + suspended.toMinutes()
                    + " min (alarm after " + Durations.format(settings.suspendAlarmAfter()) + " or once the withdrawal-risk estimate is"
                    + " high, high after " + Durations.format(settings.suspendEscalateAfter()) + " or once it is critical)",
                    Map.of("suspendedMinutes", suspended.toMinutes())));
        }
    }

    /**
     * A restart is a moment, not a state: raised once, it stays until acknowledged. A gap the wall
     * clock could not tell is told as a lower bound, and told again, corrected, under the same
     * subject once the clock can be believed.
     */
    private void restart(Map<String, Condition> found, DeliveryStatus d) {
        Optional<Restart> restart = d.health().lastRestart();
        if (restart.isEmpty() || restart.equals(reportedRestart)) {
            return;
        }
        Restart r = restart.get();
        boolean correction = reportedRestart.filter(p -> p.sinceNanos() == r.sinceNanos()).isPresent();
        reportedRestart = restart;
        restartSubject = correction ? restartSubject : r.at().toString();
        if (r.gap().compareTo(settings.restartMinGap()) < 0) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("gapSeconds", r.gap().toSeconds());
        details.put("gapKnown", r.gapKnown());
        details.put("missedDose", r.missed().toString());
        String message = r.gapKnown()
                ? "the controller restarted after " + r.gap().toSeconds() + " s without delivery" + (correction ? " (corrected now that the"
                        + " wall clock is set)" : "") + "; " + r.missed() + " of basal was missed and is not made up"
                : "the controller restarted after a gap the wall clock cannot tell (not synchronised, or behind the last heartbeat: no"
                        + " clock battery?): at least " + r.gap().toSeconds() + " s without delivery, at least " + r.missed()
                        + " of basal missed and not made up; told again once the clock is set";
        if (r.bolusCutOff().isPresent()) {
            details.put("bolusNotResumed", r.bolusCutOff().get());
            message += "; the " + r.bolusCutOff().get() + " running then was cut off and is not resumed";
        }
        if (r.uncertainMicrosteps() > 0) {
            details.put("uncertainMicrosteps", r.uncertainMicrosteps());
            details.put("uncertainVolume", r.uncertain().toString());
            message += "; up to " + r.uncertain().toMicrolitreString() + " (" + r.uncertainMicrosteps() + (r.uncertainMicrosteps() == 1 ? " microstep" : " microsteps") + ") may or may not have gone out before the"
                    + " stop: counted as delivered for the reservoir and the 24 h limits, not for the withdrawal estimate";
        }
        add(found, Condition.moment(AlarmType.CONTROLLER_RESTARTED, restartSubject, message, details));
    }

    /** A refill whose withdrawn residual did not match the pump's count: told once, it latches until acknowledged. */
    private void refill(Map<String, Condition> found, DeliveryStatus d) {
        Optional<RefillCheck> check = d.supply().refillCheck();
        if (check.isEmpty() || check.equals(reportedRefill)) {
            return;
        }
        reportedRefill = check;
        RefillCheck r = check.get();
        add(found, Condition.moment(AlarmType.RESERVOIR_DISCREPANCY, "refill " + r.at(), r.message(),
                Map.of("withdrawn", r.withdrawn().toString(), "counted", r.counted().toString())));
    }

    private static void add(Map<String, Condition> found, Condition c) {
        found.put(c.key(), c);
    }
}
