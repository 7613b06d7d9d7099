package org.openitb.accuracy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Durations;

/**
 * A gravimetric test as started: what it reads and how long, and how its record is analysed. The
 * defaults follow the rate ({@link Scheme}); every value may be given instead, and all are checked
 * together here, before a test starts, so a test never runs for hours into an analysis that cannot
 * be made.
 *
 * @param rateUlPerHour        the rate measured, uL/h
 * @param readInterval         how often the balance is read (the record's grain)
 * @param length               how long the test reads
 * @param scheme               where the defaults came from
 * @param setup                how the record is analysed (its delta t a whole number of read intervals)
 * @param tolerancePercent     the band drawn on the trumpet curve, percent
 */
public record TestPlan(double rateUlPerHour, Duration readInterval, Duration length, Scheme scheme, TestSetup setup, double tolerancePercent) {

    /** The longest test: a week. */
    public static final Duration MAX_LENGTH = Duration.ofDays(7);

    /** Which observation windows a test uses by default, and why. */
    public enum Scheme {
        /**
         * The standard's test as published material describes it for volumetric pumps at 1 mL/h and
         * above: read every 30 s for 2 h, the trumpet over the second hour, windows of 2, 5, 11, 19
         * and 31 min.
         */
        STANDARD(Duration.ofSeconds(30), Duration.ofHours(2), List.of(2, 5, 11, 19, 31), 5),
        /**
         * Below 1 mL/h (an ITB rate is 10-100 uL/h) the standard's 30 s sample holds under a
         * microstep, so every time of the standard's scheme is scaled by 30: delta t 15 min, the
         * trumpet over hours 30 to 60 (the first 30 h settle the line), windows of 30 min to
         * 15.5 h. This scaling is ours, not the standard's (docs/accuracy.md).
         */
        LOW_RATE(Duration.ofMinutes(15), Duration.ofHours(60), List.of(30, 60, 150, 330, 570, 930), 15);

        private final Duration sampleInterval;
        private final Duration length;
        private final List<Integer> windowMinutes;
        private final double tolerancePercent;

        Scheme(Duration sampleInterval, Duration length, List<Integer> windowMinutes, double tolerancePercent) {
            this.sampleInterval = sampleInterval;
            this.length = length;
            this.windowMinutes = windowMinutes;
            this.tolerancePercent = tolerancePercent;
        }

        /** The scheme for a test at {@code rateUlPerHour}. */
        public static Scheme forRate(double rateUlPerHour) {
            return rateUlPerHour >= 1_000 ? STANDARD : LOW_RATE;
        }

        public Duration sampleInterval() {
            return sampleInterval;
        }

        public Duration length() {
            return length;
        }

        public List<Duration> windows() {
            return windowMinutes.stream().map(Duration::ofMinutes).toList();
        }

        public double tolerancePercent() {
            return tolerancePercent;
        }
    }

    /**
     * What a test's starter may set; anything left empty comes from the rate's {@link Scheme}. The
     * analysis period is the second half of the test, as the standard's is its second hour of two.
     */
    public record Choices(Optional<Duration> length, Optional<Duration> sampleInterval, Optional<Duration> analysisFrom,
            Optional<Duration> analysisTo, Optional<List<Duration>> windows, double densityGPerMl, double evaporationMgPerHour,
            Optional<Double> tolerancePercent) {

        /** Water at 20 C, nothing evaporating, everything else from the scheme. */
        public static final Choices DEFAULTS = new Choices(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0.998, 0, Optional.empty());

        public Choices {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(sampleInterval, "sampleInterval");
            Objects.requireNonNull(analysisFrom, "analysisFrom");
            Objects.requireNonNull(analysisTo, "analysisTo");
            Objects.requireNonNull(windows, "windows");
            Objects.requireNonNull(tolerancePercent, "tolerancePercent");
        }
    }

    public TestPlan {
        Objects.requireNonNull(readInterval, "readInterval");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(setup, "setup");
        check(length.compareTo(readInterval) >= 0 && length.compareTo(MAX_LENGTH) <= 0,
                "a test lasts from one read interval (" + Durations.format(readInterval) + ") to 7 days, not " + Durations.format(length));
        check(setup.sampleInterval().toNanos() % readInterval.toNanos() == 0,
                "delta t (" + Durations.format(setup.sampleInterval()) + ") must be a whole number of read intervals (" + Durations.format(readInterval) + ")");
        check(setup.analysisTo().compareTo(length) <= 0, "the analysis period ends at " + Durations.format(setup.analysisTo()) + ", after the test (" + Durations.format(length) + ")");
        check(tolerancePercent > 0 && tolerancePercent <= 100, "the tolerance band must be above 0 and at most 100 %: " + tolerancePercent);
    }

    /**
     * The plan for a test at {@code rateUlPerHour} read every {@code readInterval} on a balance of
     * {@code readabilityG}, as {@code choices} say and the rate's scheme fills in.
     *
     * @throws IllegalArgumentException naming the first value that cannot make a test
     */
    public static TestPlan of(double rateUlPerHour, Duration readInterval, double readabilityG, Choices choices) {
        Scheme scheme = Scheme.forRate(rateUlPerHour);
        Duration length = choices.length().orElse(scheme.length());
        check(length.compareTo(readInterval) >= 0 && length.compareTo(MAX_LENGTH) <= 0,
                "a test lasts from one read interval (" + Durations.format(readInterval) + ") to 7 days, not " + Durations.format(length));
        choices.sampleInterval().ifPresent(d -> check(d.compareTo(readInterval) >= 0 && d.toNanos() % readInterval.toNanos() == 0,
                "delta t must be a whole number of read intervals (" + Durations.format(readInterval) + "), not " + Durations.format(d)));
        // The scheme's delta t, unless the balance is read less often than that: then every read.
        Duration dt = choices.sampleInterval().orElse(readInterval.compareTo(scheme.sampleInterval()) >= 0 ? readInterval
                : scheme.sampleInterval());
        Duration to = choices.analysisTo().orElse(length);
        Duration from = choices.analysisFrom().orElse(to.dividedBy(2));
        check(to.compareTo(from) > 0 && !from.isNegative(), "the analysis period must end after it starts: " + Durations.format(from) + " to "
                + Durations.format(to));
        List<Duration> windows = choices.windows().orElse(scheme.windows());
        if (choices.windows().isEmpty()) { // the scheme's windows that fit the period asked for
            Duration period = to.minus(from);
            windows = windows.stream().filter(w -> w.compareTo(period) <= 0 && w.toNanos() % dt.toNanos() == 0).toList();
            check(!windows.isEmpty(), "none of the " + scheme.name().toLowerCase(Locale.ROOT).replace('_', '-') + " scheme's windows ("
                    + scheme.windows().stream().map(Durations::format).reduce((a, b) -> a + "," + b).orElseThrow() + ") fits an analysis period of "
                    + Durations.format(period) + " at delta t " + Durations.format(dt) + ": lengthen the test or give --windows");
        }
        TestSetup setup = new TestSetup(rateUlPerHour, choices.densityGPerMl(), dt, choices.evaporationMgPerHour(), readabilityG, from, to, windows);
        return new TestPlan(rateUlPerHour, readInterval, length, scheme, setup, choices.tolerancePercent().orElse(scheme.tolerancePercent()));
    }

    /** The analysis of a record of this test: its stable weights on the analysis' grid of delta t. */
    public Analysis analyse(List<Recorded> reads) {
        return Gravimetry.analyse(Gravimetry.onGrid(Recorded.stable(reads), setup.sampleInterval(), readInterval), setup);
    }

    /** Falls of the vessel listed one by one at most; past that, counted. */
    static final int MAX_FALLS_LISTED = 5;

    /**
     * What a reader of this test's figures must know that the figures do not say: reads that were
     * due and never made, and a vessel that lost mass.
     */
    public List<String> findings(List<Recorded> reads) {
        return findings(reads, readInterval, setup);
    }

    /** What {@link #findings(List)} says of {@code reads} taken every {@code readInterval} in a test of {@code setup}. */
    public static List<String> findings(List<Recorded> reads, Duration readInterval, TestSetup setup) {
        List<String> out = new ArrayList<>();
        if (!reads.isEmpty()) {
            long read = readInterval.toNanos();
            long due = Math.floorDiv(reads.get(reads.size() - 1).elapsedNanos() + read / 2, read) + 1;
            if (reads.size() < due) {
                out.add((due - reads.size()) + " of the " + due + " reads due were never made (a silent balance takes its whole timeout;"
                        + " a daemon that was down reads nothing): the analysis counts them as missing");
            }
        }
        List<Gravimetry.Fall> falls = Gravimetry.falls(Recorded.stable(reads), setup);
        falls.stream().limit(MAX_FALLS_LISTED).forEach(f -> out.add(String.format(Locale.ROOT,
                "the vessel lost %.5f g between %s and %s: it was emptied, knocked or changed, and every window across that is wrong", f.grams(),
                clock(f.fromNanos()), clock(f.toNanos()))));
        if (falls.size() > MAX_FALLS_LISTED) {
            out.add("and " + (falls.size() - MAX_FALLS_LISTED) + " more falls of the vessel's mass");
        }
        return out;
    }

    /** A time into a test as a person reads it: 2h41m05s. */
    public static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3_600, s % 3_600 / 60, s % 60);
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }
}
