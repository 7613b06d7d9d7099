package org.openitb.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openitb.store.Sample;

/**
 * A pump's samples over a range turned into what its report draws: drug to the patient and drug
 * pushed against what the program asked for, each counted from the first sample, and where the
 * record has holes. The program is its daily rate held from each sample to the next, so a hole
 * (the daemon down) still counts what the program asked for, and a dose missed shows as a gap
 * between the lines. A counter that goes back (a pump that lost its memory) starts again from its
 * new value, and that is counted as a reset. A sample taken while the kernel said the wall clock was
 * not set has no time to be placed at: it is left out (and counted), and what was delivered then
 * shows in the next sample placed, the counts being totals.
 */
public final class PumpTimeline {

    /** Two periods without a sample: the daemon was down (or its clock was set forward). */
    public static final Duration HOLE = Duration.ofMinutes(2L * Sample.PERIOD_MINUTES);
    private static final double NANOS_PER_HOUR = 3.6e12;
    private static final double NG_PER_MCG = 1_000;
    private static final BigDecimal NG_NS_PER_MCG_DAY = BigDecimal.valueOf(86_400_000_000_000_000L);

    /** A span without samples, from the last sample before it to the first after. */
    public record Hole(Instant from, Instant to) {
        public Duration length() {
            return Duration.between(from, to);
        }
    }

    private final List<Sample> samples;
    private final double[] hours;
    private final double[] patientMcg;
    private final double[] pushedMcg;
    private final double[] programMcg;
    private final List<Hole> holes;
    private final int resets;
    private final int unplaced;

    private PumpTimeline(List<Sample> samples, double[] hours, double[] patientMcg, double[] pushedMcg, double[] programMcg, List<Hole> holes,
            int resets, int unplaced) {
        this.samples = List.copyOf(samples);
        this.hours = hours;
        this.patientMcg = patientMcg;
        this.pushedMcg = pushedMcg;
        this.programMcg = programMcg;
        this.holes = List.copyOf(Objects.requireNonNull(holes, "holes"));
        this.resets = resets;
        this.unplaced = unplaced;
    }

    /** The timeline of the samples in {@code all} whose time is known, which must be in time order. */
    public static PumpTimeline of(List<Sample> all) {
        List<Sample> samples = all.stream().filter(Sample::clockSet).toList();
        int n = samples.size();
        double[] hours = new double[n];
        double[] patient = new double[n];
        double[] pushed = new double[n];
        double[] program = new double[n];
        List<Hole> holes = new ArrayList<>();
        int resets = 0;
        // Counted exactly and turned into mcg at each sample: ng, and ng/day x ns for the program.
        long patientNg = 0;
        long pushedNg = 0;
        BigInteger asked = BigInteger.ZERO;
        for (int i = 1; i < n; i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            if (b.at().isBefore(a.at())) {
                throw new IllegalArgumentException("samples out of time order at " + b.at());
            }
            Duration step = Duration.between(a.at(), b.at());
            hours[i] = Duration.between(samples.get(0).at(), b.at()).toNanos() / NANOS_PER_HOUR;
            if (step.compareTo(HOLE) > 0) {
                holes.add(new Hole(a.at(), b.at()));
            }
            boolean reset = b.patientNg() < a.patientNg() || b.deliveredNg() < a.deliveredNg();
            resets += reset ? 1 : 0;
            patientNg += reset ? 0 : b.patientNg() - a.patientNg();
            pushedNg += reset ? 0 : b.deliveredNg() - a.deliveredNg();
            asked = asked.add(BigInteger.valueOf(a.prescribedNgPerDay()).multiply(BigInteger.valueOf(step.toNanos())));
            patient[i] = patientNg / NG_PER_MCG;
            pushed[i] = pushedNg / NG_PER_MCG;
            program[i] = new BigDecimal(asked).divide(NG_NS_PER_MCG_DAY, MathContext.DECIMAL64).doubleValue();
        }
        return new PumpTimeline(samples, hours, patient, pushed, program, holes, resets, all.size() - n);
    }

    /** The samples, in time order. */
    public List<Sample> samples() {
        return samples;
    }

    /** Each sample's time, hours from the first. */
    public double[] hours() {
        return hours.clone();
    }

    /** Drug that reached the patient since the first sample, mcg, at each sample. */
    public double[] patientMcg() {
        return patientMcg.clone();
    }

    /** Drug pushed out of the syringe since the first sample (priming included), mcg, at each sample. */
    public double[] pushedMcg() {
        return pushedMcg.clone();
    }

    /** What the program asked for since the first sample, mcg, at each sample. */
    public double[] programMcg() {
        return programMcg.clone();
    }

    /** Spans longer than {@link #HOLE} without a sample. */
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
        return samples.isEmpty() ? 0 : patientMcg[samples.size() - 1] - programMcg[samples.size() - 1];
    }

    /** That in percent of what the program asked for, or NaN with nothing asked for. */
    public double shortfallPercent() {
        double asked = samples.isEmpty() ? 0 : programMcg[samples.size() - 1];
        return asked == 0 ? Double.NaN : shortfallMcg() / asked * 100;
    }
}
