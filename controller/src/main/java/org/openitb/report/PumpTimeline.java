package org.openitb.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.openitb.store.Sample;

/**
 * A pump's samples over a range turned into what its report draws: drug to the patient and drug
 * pushed against what the program asked for, from the range's start to its end, and where the
 * record has holes. The counts at the range's ends are read between the samples on either side of
 * each end (the pump's counts are totals, so a hole across an end loses nothing); the program is
 * its daily rate held from each sample to the next, so a hole (the daemon down) still counts what
 * the program asked for, and a dose missed shows as a gap between the lines. A change of rate (a new
 * program, a scheduled step) counts from its time in the journal, at the rate the sample after it
 * shows (or, for all but the last of several between two samples, the rate its entry gives):
 * samples are 5 minutes apart, and a change counted from the next sample would be up to 5 minutes
 * late. Between two samples the counts are read over the time the daemon ran: the journal's
 * restarts say when it was down. Where the record
 * begins after the range's start or ends before its end, the totals begin or end with it.
 * A count that goes back (a pump that lost its memory) starts again from its new value, and that is
 * counted as a reset. A sample taken while the kernel said the wall clock was not set has no time to
 * be placed at: it is left out (and counted), and what was delivered then shows in the next sample.
 */
public final class PumpTimeline {

    /** Two periods without a sample: the daemon was down (or its clock was set forward). */
    public static final Duration HOLE = Duration.ofMinutes(2L * Sample.PERIOD_MINUTES);
    private static final double NG_PER_MCG = 1_000;
    private static final BigDecimal NG_NS_PER_MCG_DAY = BigDecimal.valueOf(86_400_000_000_000_000L);

    /** A span without samples, from the last sample before it to the first after. */
    public record Hole(Instant from, Instant to) {
        public Duration length() {
            return Duration.between(from, to);
        }
    }

    private final List<Sample> samples;
    private final List<Instant> times;
    private final double[] patientMcg;
    private final double[] pushedMcg;
    private final double[] programMcg;
    private final List<Hole> holes;
    private final int resets;
    private final int unplaced;

    private PumpTimeline(List<Sample> samples, List<Instant> times, double[] patientMcg, double[] pushedMcg, double[] programMcg,
            List<Hole> holes, int resets, int unplaced) {
        this.samples = List.copyOf(samples);
        this.times = List.copyOf(times);
        this.patientMcg = patientMcg;
        this.pushedMcg = pushedMcg;
        this.programMcg = programMcg;
        this.holes = List.copyOf(Objects.requireNonNull(holes, "holes"));
        this.resets = resets;
        this.unplaced = unplaced;
    }

    /**
     * The timeline from {@code from} to {@code to} of the samples {@code all} in it (in time order),
     * with the newest sample before the range and the oldest after it, if there are, and what the
     * journal marks from the sample before the range to the sample after it.
     */
    public static PumpTimeline of(List<Sample> all, Instant from, Instant to, Optional<Sample> before, Optional<Sample> after,
            JournalMarks marks) {
        List<Sample> samples = all.stream().filter(Sample::clockSet).toList();
        List<Sample> known = new ArrayList<>();
        before.ifPresent(known::add);
        known.addAll(samples);
        after.ifPresent(known::add);
        List<Hole> holes = new ArrayList<>();
        for (int i = 1; i < known.size(); i++) {
            Sample a = known.get(i - 1);
            Sample b = known.get(i);
            if (b.at().isBefore(a.at())) {
                throw new IllegalArgumentException("samples out of time order at " + b.at());
            }
            if (Duration.between(a.at(), b.at()).compareTo(HOLE) > 0 && a.at().isBefore(to) && b.at().isAfter(from)) {
                holes.add(new Hole(a.at(), b.at()));
            }
        }
        if (known.isEmpty()) {
            return new PumpTimeline(samples, List.of(), new double[0], new double[0], new double[0], holes, 0, all.size());
        }
        Instant start = max(from, known.get(0).at());
        Instant end = min(to, known.get(known.size() - 1).at());
        // The points the totals are given at: the ends, every sample and every change of rate between them.
        TreeSet<Instant> points = new TreeSet<>();
        points.add(start);
        points.add(end);
        samples.stream().map(Sample::at).filter(t -> t.isAfter(start) && t.isBefore(end)).forEach(points::add);
        marks.rateChanges().stream().map(JournalMarks.RateChange::at).filter(t -> t.isAfter(start) && t.isBefore(end)).forEach(points::add);
        List<Instant> times = List.copyOf(points);
        int n = times.size();
        // Each point's counts (read between samples off a sample) and the rate in force from it.
        double[] patientNg = new double[n];
        double[] pushedNg = new double[n];
        long[] rate = new long[n];
        for (int i = 0; i < n; i++) {
            Between at = between(known, marks.outages(), times.get(i));
            patientNg[i] = at.count(Sample::patientNg);
            pushedNg[i] = at.count(Sample::deliveredNg);
            rate[i] = rateFrom(known, marks.rateChanges(), times.get(i));
        }
        double[] patient = new double[n];
        double[] pushed = new double[n];
        double[] program = new double[n];
        int resets = 0;
        // The program counted exactly (ng/day x ns), turned into mcg at each point.
        BigInteger asked = BigInteger.ZERO;
        for (int i = 1; i < n; i++) {
            double dPatient = patientNg[i] - patientNg[i - 1];
            double dPushed = pushedNg[i] - pushedNg[i - 1];
            boolean reset = dPatient < 0 || dPushed < 0;
            resets += reset ? 1 : 0;
            patient[i] = patient[i - 1] + (reset ? 0 : dPatient / NG_PER_MCG);
            pushed[i] = pushed[i - 1] + (reset ? 0 : dPushed / NG_PER_MCG);
            asked = asked.add(BigInteger.valueOf(rate[i - 1]).multiply(BigInteger.valueOf(Duration.between(times.get(i - 1), times.get(i)).toNanos())));
            program[i] = new BigDecimal(asked).divide(NG_NS_PER_MCG_DAY, MathContext.DECIMAL64).doubleValue();
        }
        return new PumpTimeline(samples, times, patient, pushed, program, holes, resets, all.size() - samples.size());
    }

    /**
     * The daily rate in force from {@code t}, ng/day: the newest sample's at or before it, unless the
     * rate changed between that sample and {@code t}. Then it is the next sample's, if no other change
     * comes before that sample, else the one the latest change's journal entry gives (the next
     * sample's, where it gives none).
     */
    private static long rateFrom(List<Sample> known, List<JournalMarks.RateChange> changes, Instant t) {
        int i = inForce(known, t);
        Sample a = known.get(i);
        if (i == known.size() - 1 || t.isBefore(a.at())) {
            return a.prescribedNgPerDay();
        }
        Sample b = known.get(i + 1);
        // The changes are in time order: those strictly between the two samples, found without reading the rest.
        List<JournalMarks.RateChange> between = changes.subList(firstAfter(changes, a.at(), false), firstAfter(changes, b.at(), true));
        int latest = -1;
        for (int k = 0; k < between.size() && !between.get(k).at().isAfter(t); k++) {
            latest = k;
        }
        if (latest < 0) {
            return a.prescribedNgPerDay();
        }
        return latest == between.size() - 1 ? b.prescribedNgPerDay() : between.get(latest).ngPerDay().orElse(b.prescribedNgPerDay());
    }

    /** The index of the first change after {@code t} (or at it, {@code orAt}), {@code changes.size()} if none. */
    private static int firstAfter(List<JournalMarks.RateChange> changes, Instant t, boolean orAt) {
        int lo = 0;
        int hi = changes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Instant c = changes.get(mid).at();
            if (c.isAfter(t) || (orAt && c.equals(t))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The index of the sample in force at {@code t}: the newest at or before it (the first, before the record begins). */
    private static int inForce(List<Sample> known, Instant t) {
        int lo = 0;
        int hi = known.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (known.get(mid).at().isAfter(t)) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /**
     * Where a time falls between the samples either side of it: the share of the time the daemon ran
     * from {@code a} to {@code b} that had passed by then (0 at a sample, before the first or after the last).
     */
    private record Between(Sample a, Sample b, double share) {

        /** The count at that time, read on the line from a to b; across a counter that went back, its new value (the reset is counted once). */
        double count(ToLongFunction<Sample> counter) {
            double va = counter.applyAsLong(a);
            double vb = counter.applyAsLong(b);
            return vb < va ? vb : va + (vb - va) * share;
        }
    }

    /** Where {@code t} falls between the samples, over the time the daemon ran (an outage delivers nothing). */
    private static Between between(List<Sample> known, List<JournalMarks.Outage> outages, Instant t) {
        int i = inForce(known, t);
        Sample a = known.get(i);
        if (!t.isAfter(a.at()) || i == known.size() - 1) {
            return new Between(a, a, 0);
        }
        Sample b = known.get(i + 1);
        long whole = running(a.at(), b.at(), outages);
        return new Between(a, b, whole <= 0 ? 0 : (double) running(a.at(), t, outages) / whole);
    }

    /** Nanoseconds from {@code from} to {@code to} less those in an outage. */
    private static long running(Instant from, Instant to, List<JournalMarks.Outage> outages) {
        long ns = Duration.between(from, to).toNanos();
        for (JournalMarks.Outage o : outages) {
            Instant s = max(from, o.from());
            Instant e = min(to, o.to());
            ns -= e.isAfter(s) ? Duration.between(s, e).toNanos() : 0;
        }
        return ns;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The samples in the range whose time is known, in time order. */
    public List<Sample> samples() {
        return samples;
    }

    /** The times the totals are given at: the start of the record in the range, every sample, its end. */
    public List<Instant> times() {
        return times;
    }

    /** Drug that reached the patient since the start, mcg, at each of {@link #times()}. */
    public double[] patientMcg() {
        return patientMcg.clone();
    }

    /** Drug pushed out of the syringe since the start (priming included), mcg, at each of {@link #times()}. */
    public double[] pushedMcg() {
        return pushedMcg.clone();
    }

    /** What the program asked for since the start, mcg, at each of {@link #times()}. */
    public double[] programMcg() {
        return programMcg.clone();
    }

    /** Spans longer than {@link #HOLE} without a sample that touch the range (they may reach beyond it). */
    public List<Hole> holes() {
        return holes;
    }

    /** Samples left out because the wall clock was not set when they were taken. */
    public int unplaced() {
        return unplaced;
    }

    /** Times a counter went back. */
    public int resets() {
        return resets;
    }

    /** Drug to the patient less what the program asked for over the whole range, mcg (negative: short). */
    public double shortfallMcg() {
        return times.isEmpty() ? 0 : patientMcg[times.size() - 1] - programMcg[times.size() - 1];
    }

    /** That in percent of what the program asked for, or NaN with nothing asked for. */
    public double shortfallPercent() {
        double asked = times.isEmpty() ? 0 : programMcg[times.size() - 1];
        return asked == 0 ? Double.NaN : shortfallMcg() / asked * 100;
    }
}
