package org.openitb.accuracy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The gravimetric accuracy analysis of IEC 60601-2-24, pure: balance readings in, the start-up
 * curve, the trumpet curve and the overall rate error out, each error with the uncertainty the
 * balance's readability puts on it.
 *
 * <p>The standard's flow error over an observation window of p samples is the mean of the p
 * per-sample errors; the sum telescopes, so it is the error of the volume between the window's two
 * end readings. That is what is computed here, from the readings' own times rather than the nominal
 * interval (a late read does not count as a flow error). A window is left out when a reading at
 * either end is missing (a balance that went silent); a missing reading inside it changes nothing.
 * Each end reading is the true mass rounded to the readability, so a window's volume is uncertain by
 * one count of the last digit: that over the volume the window should hold is its uncertainty.
 */
public final class Gravimetry {

    private static final double NANOS_PER_HOUR = 3_600e9;

    private Gravimetry() {
    }

    /** The analysis of {@code readings} (in time order, the first one the test's zero) against {@code setup}. */
    public static Analysis analyse(List<Reading> readings, TestSetup setup) {
        if (readings.size() < 2) {
            throw new IllegalArgumentException("a gravimetric test needs at least two readings, not " + readings.size());
        }
        for (int i = 1; i < readings.size(); i++) {
            if (readings.get(i).atNanos() <= readings.get(i - 1).atNanos()) {
                throw new IllegalArgumentException("readings out of time order at " + i);
            }
        }
        double zero = corrected(readings.get(0), setup);
        List<Analysis.Point> delivered = new ArrayList<>();
        List<Analysis.Point> flow = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            delivered.add(new Analysis.Point(r.atNanos(), microlitres(corrected(r, setup) - zero, setup)));
            if (i > 0) {
                flow.add(new Analysis.Point(r.atNanos(), rateUlPerHour(readings.get(i - 1), r, setup)));
            }
        }
        List<Reading> period = readings.stream().filter(r -> r.atNanos() >= setup.analysisFrom().toNanos()
                && r.atNanos() <= setup.analysisTo().toNanos()).toList();
        Optional<Analysis.Error> overall = period.size() < 2 ? Optional.empty()
                : Optional.of(error(period.get(0), period.get(period.size() - 1), setup));
        List<Analysis.Window> trumpet = new ArrayList<>();
        for (Duration w : setup.windows()) {
            trumpet.add(window(period, w, setup));
        }
        return new Analysis(delivered, flow, overall, trumpet);
    }

    /**
     * The readings the analysis at delta t {@code dt} uses from a record read every
     * {@code readInterval} (dt a whole number of them): for each multiple of {@code dt}, the read
     * made for it, which is the first from half a read interval before it to a whole one after (a
     * read is never early, and may be late). A multiple with none is a missing reading, as if the
     * balance had been silent then.
     */
    public static List<Reading> onGrid(List<Reading> readings, Duration dt, Duration readInterval) {
        long step = dt.toNanos();
        long read = readInterval.toNanos();
        List<Reading> kept = new ArrayList<>();
        long lastSlot = Long.MIN_VALUE;
        for (Reading r : readings) {
            long slot = Math.floorDiv(r.atNanos() + read / 2, step);
            if (slot != lastSlot && r.atNanos() - slot * step < read) {
                kept.add(r);
                lastSlot = slot;
            }
        }
        return kept;
    }

    /** The vessel weighed {@code grams} less at {@code toNanos} than at {@code fromNanos}, evaporation added back. */
    public record Fall(long fromNanos, long toNanos, double grams) {
    }

    /**
     * Where the vessel lost mass between two readings beyond what the balance's noise explains (ten
     * counts of its last digit, and at least 1 mg): a vessel emptied, knocked or replaced, which no
     * pump does. Every window across one is wrong; the figures cannot say so themselves.
     */
    public static List<Fall> falls(List<Reading> readings, TestSetup setup) {
        double noise = Math.max(10 * setup.resolutionG(), 0.001);
        List<Fall> out = new ArrayList<>();
        for (int i = 1; i < readings.size(); i++) {
            double lost = corrected(readings.get(i - 1), setup) - corrected(readings.get(i), setup);
            if (lost > noise) {
                out.add(new Fall(readings.get(i - 1).atNanos(), readings.get(i).atNanos(), lost));
            }
        }
        return out;
    }

    /** E_p(max) and E_p(min) over every window of length {@code w} whose two end readings exist in {@code period}. */
    private static Analysis.Window window(List<Reading> period, Duration w, TestSetup setup) {
        long interval = setup.sampleInterval().toNanos();
        List<Analysis.Error> errors = new ArrayList<>();
        int expected = 0;
        if (!period.isEmpty()) {
            long first = slot(period.get(0), interval);
            long last = slot(period.get(period.size() - 1), interval);
            long p = w.toNanos() / interval;
            expected = (int) Math.max(0, last - first - p + 1);
            int end = 0;
            for (Reading start : period) {
                long want = slot(start, interval) + p;
                while (end < period.size() && slot(period.get(end), interval) < want) {
                    end++;
                }
                if (end < period.size() && slot(period.get(end), interval) == want) {
                    errors.add(error(start, period.get(end), setup));
                }
            }
        }
        Comparator<Analysis.Error> byPercent = Comparator.comparingDouble(Analysis.Error::percent);
        return new Analysis.Window(w, errors.stream().max(byPercent), errors.stream().min(byPercent), errors.size(), expected,
                uncertaintyPercent(w.toNanos(), setup));
    }

    /** The read slot a reading belongs to: its time in read intervals, to the nearest. */
    private static long slot(Reading r, long interval) {
        return (r.atNanos() + interval / 2) / interval;
    }

    private static Analysis.Error error(Reading from, Reading to, TestSetup setup) {
        double percent = 100 * (rateUlPerHour(from, to, setup) - setup.rateUlPerHour()) / setup.rateUlPerHour();
        return new Analysis.Error(from.atNanos(), to.atNanos(), percent, uncertaintyPercent(to.atNanos() - from.atNanos(), setup));
    }

    /** Flow between two readings, uL/h. */
    private static double rateUlPerHour(Reading from, Reading to, TestSetup setup) {
        double ul = microlitres(corrected(to, setup) - corrected(from, setup), setup);
        return ul * NANOS_PER_HOUR / (to.atNanos() - from.atNanos());
    }

    /** One count of the balance's last digit over the volume {@code nanos} at the rate should hold, in percent. */
    private static double uncertaintyPercent(long nanos, TestSetup setup) {
        double expectedUl = setup.rateUlPerHour() * nanos / NANOS_PER_HOUR;
        return 100 * microlitres(setup.resolutionG(), setup) / expectedUl;
    }

    /** The reading with what evaporated since the start added back, g. */
    private static double corrected(Reading r, TestSetup setup) {
        return r.grams() + setup.evaporationMgPerHour() / 1_000 * r.atNanos() / NANOS_PER_HOUR;
    }

    private static double microlitres(double grams, TestSetup setup) {
        return grams / setup.densityGPerMl() * 1_000;
    }
}
