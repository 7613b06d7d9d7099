package org.openitb.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmSupervisor;
import org.openitb.alarm.AlarmType;
import org.openitb.alarm.RiskEstimate;
import org.openitb.alarm.RiskLevel;
import org.openitb.config.PumpConfig;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.drivers.annunciator.Priority;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;

/**
 * The patient's side, judged from the world rather than the pump's accounts, after every pass of
 * the loops:
 * <ul>
 * <li>the drug that left the catheter's tip into the patient (counted by the plant, microstep by
 * microstep, at the concentration each carried through the catheter) in any 24 h never exceeds
 * the library's hard maximum daily dose, whatever path it took: programs, boluses, priming;</li>
 * <li>the withdrawal-risk estimate's reference is the whole prescription: the running program's
 * basal at the wall time (flex steps included) plus its periodic boluses' daily dose, as the
 * referee itself knows the program it saw accepted;</li>
 * <li>an open withdrawal-relevant alarm whose condition holds is at least medium while the estimate
 * is high and high while it is critical; a suspension with the estimate high has its alarm.</li>
 * </ul>
 */
final class PatientReferee {

    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final long DAY_MINUTES = 1_440;
    /** A microstep at the strongest concentration, and the rounding of a bolus cut in two: well under 1 mcg. */
    private static final BigDecimal DAY_SLACK_NG = BigDecimal.valueOf(1_000);
    /** How long a mismatch may last: the pump re-reads a flex step or a wall-clock jump within a second. */
    private static final long SETTLE_NANOS = 5_000_000_000L;

    private final BigDecimal hardMaxNg;
    /** What reached the patient by minute of elapsed simulated time: {minute, cumulative ng}, the last day's. */
    private final ArrayDeque<Object[]> byMinute = new ArrayDeque<>();
    private Bench bench;
    private long elapsedAtAttach;
    private long clockAtAttach;
    private Optional<Program> running = Optional.empty();
    private long referenceWrongSince = Long.MIN_VALUE;
    private long suspendedUnalarmedSince = Long.MIN_VALUE;
    private BigDecimal worstDayNg = BigDecimal.ZERO;
    private long checks;

    PatientReferee(PumpConfig config) {
        this.hardMaxNg = BigDecimal.valueOf(config.library().hardMaxDaily().nanogramsPerDay());
    }

    /** Watches a (new or restarted) pump from {@code elapsedNanos} of the session. */
    void attach(Bench bench, long elapsedNanos) {
        this.bench = bench;
        this.elapsedAtAttach = elapsedNanos;
        this.clockAtAttach = bench.clock.nanos();
        referenceWrongSince = Long.MIN_VALUE;
        suspendedUnalarmedSince = Long.MIN_VALUE;
        bench.afterEachPass(this::pass);
    }

    /** The pump accepted {@code program}: the prescription from now on. */
    void programAccepted(Program program) {
        running = Optional.of(program);
    }

    long checks() {
        return checks;
    }

    /** The most drug that reached the patient in any 24 h so far, in mcg. */
    BigDecimal worstDayMcg() {
        return worstDayNg.movePointLeft(3);
    }

    private void pass(long now) {
        checks++;
        day(elapsedAtAttach + (now - clockAtAttach));
        DeliveryStatus s = bench.pump.controller().snapshot();
        reference(now, s);
        AlarmSupervisor.View view = bench.pump.supervisor().view();
        priorities(now, s, view);
    }

    private void day(long elapsed) {
        long minute = elapsed / MINUTE_NANOS;
        BigDecimal total = bench.plant.drugToPatientNg();
        Object[] last = byMinute.peekLast();
        if (last == null || (long) last[0] != minute) {
            byMinute.addLast(new Object[] {minute, total});
        } else {
            last[1] = total;
        }
        // The base is the first sample within the last day: the window it gives is never longer than 24 h.
        while ((long) byMinute.peekFirst()[0] < minute - DAY_MINUTES) {
            byMinute.removeFirst();
        }
        BigDecimal day = total.subtract((BigDecimal) byMinute.peekFirst()[1]);
        worstDayNg = worstDayNg.max(day);
        if (day.compareTo(hardMaxNg.add(DAY_SLACK_NG)) > 0) {
            throw new Invariants.Violation(day.movePointLeft(3).setScale(3, RoundingMode.DOWN) + "mcg reached the patient"
                    + " in the 24 h before day " + String.format("%.3f", elapsed / 86_400e9) + ", above the library's hard maximum of "
                    + hardMaxNg.movePointLeft(3) + "mcg/day");
        }
    }

    private void reference(long now, DeliveryStatus s) {
        if (running.isEmpty()) {
            return;
        }
        Program p = running.get();
        // At the snapshot's own wall time: a hung dose loop's last snapshot stays as it was, whatever the clock does meanwhile.
        long basal = p.basalRateAt(s.at().atZone(bench.clock.zone())).nanogramsPerDay();
        long periodic = p.periodicBolus().map(PeriodicBolus::perDay).map(DailyRate::nanogramsPerDay).orElse(0L);
        if (s.running().prescribedPerDay().nanogramsPerDay() == basal + periodic) {
            referenceWrongSince = Long.MIN_VALUE;
            return;
        }
        if (referenceWrongSince == Long.MIN_VALUE) {
            referenceWrongSince = now;
        } else if (now - referenceWrongSince > SETTLE_NANOS) {
            throw new Invariants.Violation("the risk estimate's reference is " + s.running().prescribedPerDay() + ", the prescription "
                    + new DailyRate(basal + periodic) + " (basal " + new DailyRate(basal) + " at " + s.at().atZone(bench.clock.zone()).toLocalTime()
                    + ", periodic boluses " + new DailyRate(periodic) + "); the pump: " + s.running().state() + " " + s.running().haltReasons() + ", basal "
                    + s.running().basal() + ", program " + s.running().program() + ", running as the referee saw it accepted " + p.describe()
                    + ", suspended until " + s.running().suspendedUntil() + ", wrong since " + (now - referenceWrongSince) / 1e9 + " s");
        }
    }

    private void priorities(long now, DeliveryStatus s, AlarmSupervisor.View view) {
        RiskLevel level = view.risk().map(RiskEstimate::level).orElse(RiskLevel.NONE);
        Priority needed = level == RiskLevel.CRITICAL ? Priority.HIGH : level == RiskLevel.HIGH ? Priority.MEDIUM : Priority.NONE;
        for (Alarm a : view.open()) {
            if (a.withdrawalRisk() && a.conditionPresent() && a.priority().compareTo(needed) < 0) {
                throw new Invariants.Violation("alarm " + a.id() + " " + a.type() + " is " + a.priority() + " while the withdrawal-risk estimate is "
                        + level + " (" + view.risk().map(RiskEstimate::describe).orElse("") + ")");
            }
        }
        boolean unalarmed = s.running().suspendedSinceNanos().isPresent() && level.compareTo(RiskLevel.HIGH) >= 0
                && view.open().stream().noneMatch(a -> a.type() == AlarmType.SUSPENDED_TOO_LONG);
        if (!unalarmed) {
            suspendedUnalarmedSince = Long.MIN_VALUE;
        } else if (suspendedUnalarmedSince == Long.MIN_VALUE) {
            suspendedUnalarmedSince = now;
        } else if (now - suspendedUnalarmedSince > SETTLE_NANOS) {
            throw new Invariants.Violation("suspended with the withdrawal-risk estimate " + level + " for "
                    + Duration.ofNanos(now - suspendedUnalarmedSince).toSeconds() + " s and no SUSPENDED_TOO_LONG alarm");
        }
    }
}
