package org.openitb.therapy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is prescribed now and what was lately: the running program, a suspension, the boluses and
 * programs of the last 24 h that the limits look back on, and a revision that counts every change
 * (a preview is confirmed against it). Times are monotonic, so a wall-clock jump cannot reopen a
 * lockout. Confined to the dose loop thread.
 */
public final class Therapy {

    /** History kept for the 24 h limits; more changes than this in a day is refused. */
    public static final int HISTORY_LIMIT = 1_000;
    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    /** A program and the monotonic instant it started. */
    public record Entry(long sinceNanos, Program program) {
    }

    /** A priming that started at a monotonic instant, and its volume: primings are bounded per 24 h too. */
    public record Priming(long startNanos, Volume volume) {
        public Priming {
            Objects.requireNonNull(volume, "volume");
        }
    }

    private final TherapyLimits limits;
    private final Deque<Entry> programs = new ArrayDeque<>();
    private final Deque<BolusRecord> boluses = new ArrayDeque<>();
    private final Deque<Priming> primings = new ArrayDeque<>();
    private Suspension suspension;
    private long revision;
    /**
     * When the running program's periodic boluses count from (monotonic ns; {@link Long#MIN_VALUE}
     * without them): the program change that introduced them. Restarts, resumptions and program
     * changes that keep the same periodic bolus do not move it, so a pump restarted more often
     * than the interval still gives them on schedule.
     */
    private long periodicAnchorNanos = Long.MIN_VALUE;

    public Therapy(TherapyLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public TherapyLimits limits() {
        return limits;
    }

    /** The running program, if any. */
    public Optional<Program> program() {
        return programs.isEmpty() ? Optional.empty() : Optional.of(programs.getLast().program());
    }

    public Optional<Suspension> suspension() {
        return Optional.ofNullable(suspension);
    }

    /** Counts every accepted change; a confirmed preview must still match it. */
    public long revision() {
        return revision;
    }

    /**
     * The programs in force at some moment of the 24 h before {@code now}, oldest first (the one
     * running when that day began, then every one since): what the titration limit measures a
     * change against. Empty before a first program.
     */
    public List<Program> programsInForce(long nowNanos) {
        prune(nowNanos);
        return programs.stream().map(Entry::program).toList();
    }

    public Verdict checkProgram(Program candidate, long nowNanos) {
        prune(nowNanos);
        if (programs.size() >= HISTORY_LIMIT) {
            return new Verdict(List.of(Finding.hard(HISTORY_LIMIT + " program changes in 24 h is the limit")));
        }
        return limits.program(candidate, programsInForce(nowNanos));
    }

    /** A first program after the memory was lost, measured against the daily dose the patient was on, as a clinician entered it. */
    public Verdict checkProgram(Program candidate, DailyRate patientWasOn, long nowNanos) {
        prune(nowNanos);
        return limits.program(candidate, List.of(new ContinuousProgram(patientWasOn, candidate.concentration())),
                "the patient was on, as entered");
    }

    public void setProgram(Program program, long nowNanos) {
        Optional<PeriodicBolus> before = program().flatMap(Program::periodicBolus);
        if (program.periodicBolus().isEmpty()) {
            periodicAnchorNanos = Long.MIN_VALUE;
        } else if (!program.periodicBolus().equals(before) || periodicAnchorNanos == Long.MIN_VALUE) {
            periodicAnchorNanos = nowNanos;
        }
        programs.addLast(new Entry(nowNanos, Objects.requireNonNull(program, "program")));
        prune(nowNanos);
        revision++;
    }

    /** A clinician's bolus; {@code reachedPatient} is the drug that reached the patient in the last 24 h. */
    public Verdict checkBolus(Dose dose, Duration over, Dose reachedPatient, long nowNanos) {
        prune(nowNanos);
        return limits.bolus(dose, over, program().orElseThrow(), List.copyOf(boluses), reachedPatient, nowNanos);
    }

    public Verdict checkPatientBolus(Dose reachedPatient, long nowNanos) {
        prune(nowNanos);
        return limits.patientBolus(program().orElseThrow(), List.copyOf(boluses), reachedPatient, nowNanos);
    }

    /** Records a bolus that started; priming and bridging are volume, not dose, and do not count. */
    public void recordBolus(BolusRecord bolus) {
        boluses.addLast(bolus);
        while (boluses.size() > HISTORY_LIMIT) {
            boluses.removeFirst();
        }
        revision++;
    }

    /** Records a priming that started; bounded per 24 h by delivery.priming-max-per-day. */
    public void recordPriming(Priming priming) {
        primings.addLast(Objects.requireNonNull(priming, "priming"));
        while (primings.size() > HISTORY_LIMIT) {
            primings.removeFirst();
        }
        revision++;
    }

    /** Primings of the last 24 h, oldest first. */
    public List<Priming> recentPrimings(long nowNanos) {
        prune(nowNanos);
        return new ArrayList<>(primings);
    }

    /** The volume primed in the 24 h before {@code nowNanos}. */
    public Volume primedLast24h(long nowNanos) {
        prune(nowNanos);
        return new Volume(primings.stream().mapToLong(p -> p.volume().picolitres()).sum());
    }

    /** Boluses of the last 24 h, oldest first. */
    public List<BolusRecord> recentBoluses(long nowNanos) {
        prune(nowNanos);
        return new ArrayList<>(boluses);
    }

    /** When the running program's periodic boluses count from (monotonic ns), if it has them. */
    public OptionalLong periodicAnchor() {
        return periodicAnchorNanos == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(periodicAnchorNanos);
    }

    /**
     * The first periodic bolus of the running program due at or after {@code fromNanos}: the anchor
     * plus a whole number (at least one) of intervals; {@link Long#MAX_VALUE} without periodic boluses.
     */
    public long nextPeriodicFrom(long fromNanos) {
        Optional<PeriodicBolus> p = program().flatMap(Program::periodicBolus);
        if (p.isEmpty() || periodicAnchorNanos == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        long every = p.get().every().toNanos();
        long n = Math.max(1, Math.ceilDiv(fromNanos - periodicAnchorNanos, every));
        return periodicAnchorNanos + n * every;
    }

    public void suspend(long nowNanos, OptionalLong untilNanos) {
        suspension = new Suspension(nowNanos, untilNanos);
        revision++;
    }

    /** Moves the end of the timed suspension in force to {@code untilNanos} (a restart's gap, corrected once the clock was set). */
    public void retimeSuspension(long untilNanos) {
        if (suspension != null && suspension.untilNanos().isPresent()) {
            suspension = new Suspension(suspension.sinceNanos(), OptionalLong.of(untilNanos));
        }
    }

    public void resume() {
        suspension = null;
        revision++;
    }

    /** Counts a change that is not a program, bolus, priming or suspension (a refill), so previews of it go stale too. */
    public void touch() {
        revision++;
    }

    /** Programs kept for the titration limit (the running one last), for the durable state. */
    public List<Entry> programHistory() {
        return List.copyOf(programs);
    }

    /**
     * Puts back what a restart must not forget: the program history (running program last), the
     * boluses of the last 24 h (so lockouts and daily caps hold across a restart), a suspension,
     * the revision, and the periodic boluses' anchor.
     */
    public void restore(List<Entry> history, List<BolusRecord> recentBoluses, Optional<Suspension> suspended, long restoredRevision,
            OptionalLong periodicAnchor, List<Priming> recentPrimings) {
        primings.clear();
        primings.addAll(recentPrimings);
        programs.clear();
        programs.addAll(history);
        boolean periodic = program().flatMap(Program::periodicBolus).isPresent();
        // A state saved before anchors were kept: the running program's start is the anchor.
        periodicAnchorNanos = !periodic ? Long.MIN_VALUE : periodicAnchor.orElse(programs.isEmpty() ? Long.MIN_VALUE : programs.getLast().sinceNanos());
        boluses.clear();
        boluses.addAll(recentBoluses);
        suspension = suspended.orElse(null);
        revision = restoredRevision;
    }

    private void prune(long nowNanos) {
        while (!boluses.isEmpty() && nowNanos - boluses.getFirst().startNanos() >= DAY_NANOS) {
            boluses.removeFirst();
        }
        while (!primings.isEmpty() && nowNanos - primings.getFirst().startNanos() >= DAY_NANOS) {
            primings.removeFirst();
        }
        // Keep the newest program older than 24 h: it is the titration reference.
        while (programs.size() > 1) {
            Entry oldest = programs.getFirst();
            Entry next = programs.stream().skip(1).findFirst().orElseThrow();
            if (nowNanos - next.sinceNanos() >= DAY_NANOS && nowNanos - oldest.sinceNanos() >= DAY_NANOS) {
                programs.removeFirst();
            } else {
                break;
            }
        }
    }
}
