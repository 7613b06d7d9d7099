package org.openitb.therapy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is prescribed now and what was lately: the running program, a suspension, the boluses and
 * programs of the last 24 h that the limits look back on, and a revision that counts every change
 * (a preview is confirmed against it). Times are monotonic, so a wall-clock jump cannot reopen a
 * lockout. A value: every change returns a new one, and what the 24 h limits look back on is
 * measured at the instant asked, so a check cannot change what it checks.
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
    private final List<Entry> programs;
    private final List<BolusRecord> boluses;
    private final List<Priming> primings;
    private final Optional<Suspension> suspension;
    private final long revision;
    /**
     * When the running program's periodic boluses count from (monotonic ns; {@link Long#MIN_VALUE}
     * without them): the program change that introduced them. Restarts, resumptions and program
     * changes that keep the same periodic bolus do not move it, so a pump restarted more often
     * than the interval still gives them on schedule.
     */
    private final long periodicAnchorNanos;

    private Therapy(TherapyLimits limits, List<Entry> programs, List<BolusRecord> boluses, List<Priming> primings,
            Optional<Suspension> suspension, long revision, long periodicAnchorNanos) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.programs = List.copyOf(programs);
        this.boluses = List.copyOf(boluses);
        this.primings = List.copyOf(primings);
        this.suspension = Objects.requireNonNull(suspension, "suspension");
        this.revision = revision;
        this.periodicAnchorNanos = periodicAnchorNanos;
    }

    /** No program yet, nothing given, nothing suspended: a pump that has never been programmed. */
    public static Therapy none(TherapyLimits limits) {
        return new Therapy(limits, List.of(), List.of(), List.of(), Optional.empty(), 0, Long.MIN_VALUE);
    }

    /**
     * What a restart must not forget put back: the program history (running program last), the
     * boluses and primings of the last 24 h (so lockouts and daily caps hold across a restart), a
     * suspension, the revision, and the periodic boluses' anchor.
     */
    public static Therapy restored(TherapyLimits limits, List<Entry> history, List<BolusRecord> recentBoluses, Optional<Suspension> suspended,
            long restoredRevision, OptionalLong periodicAnchor, List<Priming> recentPrimings) {
        boolean periodic = !history.isEmpty() && history.getLast().program().periodicBolus().isPresent();
        // A state saved before anchors were kept: the running program's start is the anchor.
        long anchor = !periodic ? Long.MIN_VALUE : periodicAnchor.orElse(history.getLast().sinceNanos());
        return new Therapy(limits, history, recentBoluses, recentPrimings, suspended, restoredRevision, anchor);
    }

    public TherapyLimits limits() {
        return limits;
    }

    /** The running program, if any. */
    public Optional<Program> program() {
        return programs.isEmpty() ? Optional.empty() : Optional.of(programs.getLast().program());
    }

    public Optional<Suspension> suspension() {
        return suspension;
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
        return programHistory(nowNanos).stream().map(Entry::program).toList();
    }

    public Verdict checkProgram(Program candidate, long nowNanos) {
        List<Entry> inForce = programHistory(nowNanos);
        if (inForce.size() >= HISTORY_LIMIT) {
            return new Verdict(List.of(Finding.hard(HISTORY_LIMIT + " program changes in 24 h is the limit")));
        }
        return limits.program(candidate, inForce.stream().map(Entry::program).toList());
    }

    /** A first program after the memory was lost, measured against the daily dose the patient was on, as a clinician entered it. */
    public Verdict checkProgram(Program candidate, DailyRate patientWasOn, long nowNanos) {
        return limits.program(candidate, List.of(new ContinuousProgram(patientWasOn, candidate.concentration())),
                "the patient was on, as entered");
    }

    /** This therapy with {@code program} running from {@code nowNanos}. */
    public Therapy withProgram(Program program, long nowNanos) {
        Objects.requireNonNull(program, "program");
        Optional<PeriodicBolus> before = program().flatMap(Program::periodicBolus);
        long anchor = periodicAnchorNanos;
        if (program.periodicBolus().isEmpty()) {
            anchor = Long.MIN_VALUE;
        } else if (!program.periodicBolus().equals(before) || anchor == Long.MIN_VALUE) {
            anchor = nowNanos;
        }
        List<Entry> history = new ArrayList<>(programs);
        history.add(new Entry(nowNanos, program));
        return new Therapy(limits, keptPrograms(history, nowNanos), boluses, primings, suspension, revision + 1, anchor);
    }

    /** A clinician's bolus; {@code reachedPatient} is the drug that reached the patient in the last 24 h. */
    public Verdict checkBolus(Dose dose, Duration over, Dose reachedPatient, long nowNanos) {
        return limits.bolus(dose, over, program().orElseThrow(), recentBoluses(nowNanos), reachedPatient, nowNanos);
    }

    public Verdict checkPatientBolus(Dose reachedPatient, long nowNanos) {
        return limits.patientBolus(program().orElseThrow(), recentBoluses(nowNanos), reachedPatient, nowNanos);
    }

    /** This therapy with a bolus that started; priming and bridging are volume, not dose, and do not count. */
    public Therapy withBolus(BolusRecord bolus) {
        Objects.requireNonNull(bolus, "bolus");
        return new Therapy(limits, programs, appended(recentBoluses(bolus.startNanos()), bolus), primings, suspension, revision + 1,
                periodicAnchorNanos);
    }

    /** This therapy with a priming that started; bounded per 24 h by delivery.priming-max-per-day. */
    public Therapy withPriming(Priming priming) {
        Objects.requireNonNull(priming, "priming");
        return new Therapy(limits, programs, boluses, appended(recentPrimings(priming.startNanos()), priming), suspension, revision + 1,
                periodicAnchorNanos);
    }

    /** Primings of the 24 h before {@code nowNanos}, oldest first. */
    public List<Priming> recentPrimings(long nowNanos) {
        return primings.stream().filter(p -> nowNanos - p.startNanos() < DAY_NANOS).toList();
    }

    /** The volume primed in the 24 h before {@code nowNanos}. */
    public Volume primedLast24h(long nowNanos) {
        return new Volume(recentPrimings(nowNanos).stream().mapToLong(p -> p.volume().picolitres()).sum());
    }

    /** Boluses of the 24 h before {@code nowNanos}, oldest first. */
    public List<BolusRecord> recentBoluses(long nowNanos) {
        return boluses.stream().filter(b -> nowNanos - b.startNanos() < DAY_NANOS).toList();
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

    /** This therapy suspended from {@code nowNanos}, until {@code untilNanos} if timed. */
    public Therapy suspended(long nowNanos, OptionalLong untilNanos) {
        return new Therapy(limits, programs, boluses, primings, Optional.of(new Suspension(nowNanos, untilNanos)), revision + 1,
                periodicAnchorNanos);
    }

    /** The timed suspension in force ending at {@code untilNanos} instead (a restart's gap, corrected once the clock was set). */
    public Therapy withSuspensionUntil(long untilNanos) {
        Optional<Suspension> retimed = suspension.map(s -> s.untilNanos().isPresent() ? new Suspension(s.sinceNanos(), OptionalLong.of(untilNanos)) : s);
        return new Therapy(limits, programs, boluses, primings, retimed, revision, periodicAnchorNanos);
    }

    public Therapy resumed() {
        return new Therapy(limits, programs, boluses, primings, Optional.empty(), revision + 1, periodicAnchorNanos);
    }

    /** This therapy after a change that is not a program, bolus, priming or suspension (a refill), so previews of it go stale too. */
    public Therapy touched() {
        return new Therapy(limits, programs, boluses, primings, suspension, revision + 1, periodicAnchorNanos);
    }

    /** Programs kept for the titration limit at {@code nowNanos} (the running one last), for the durable state. */
    public List<Entry> programHistory(long nowNanos) {
        return keptPrograms(programs, nowNanos);
    }

    /** At most {@link #HISTORY_LIMIT} records, the oldest dropped first. */
    private static <T> List<T> appended(List<T> records, T record) {
        List<T> more = new ArrayList<>(records.subList(Math.max(0, records.size() + 1 - HISTORY_LIMIT), records.size()));
        more.add(record);
        return more;
    }

    /** The programs of the 24 h before {@code nowNanos}, and the newest one older than that: it is the titration reference. */
    private static List<Entry> keptPrograms(List<Entry> history, long nowNanos) {
        int first = 0;
        while (history.size() - first > 1 && nowNanos - history.get(first + 1).sinceNanos() >= DAY_NANOS
                && nowNanos - history.get(first).sinceNanos() >= DAY_NANOS) {
            first++;
        }
        return history.subList(first, history.size());
    }
}
