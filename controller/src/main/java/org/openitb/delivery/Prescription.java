package org.openitb.delivery;

import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.PeriodicBolus;

/**
 * What the prescription asks for between two passes of the dose loop: the basal rate then in force
 * and the periodic boluses on their anchored schedule, delivered or not. Integrated, it is what the
 * withdrawal-risk estimate holds delivery against. Pure: {@link #accrue} allocates nothing, as the
 * loop runs it before every pulse.
 *
 * @param rate        the basal rate in force (even while halted; zero without a program)
 * @param periodic    the running program's periodic bolus, if it has one and an anchor
 * @param anchorNanos when its boluses count from (monotonic ns): the k-th is due at anchor + k·every, k ≥ 1
 */
record Prescription(DailyRate rate, Optional<PeriodicBolus> periodic, long anchorNanos) {

    static final Prescription NONE = new Prescription(DailyRate.ZERO, Optional.empty(), 0);
    private static final double DAY_NANOS = 86_400e9;

    Prescription {
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(periodic, "periodic");
    }

    /**
     * {@code ng} plus what was asked for in ({@code fromNanos}, {@code nowNanos}]: the basal pro rata,
     * and of each periodic bolus the share of its window (its dose spread evenly over its duration)
     * inside the interval. A flex step inside the interval is counted from the next pass (the loop
     * wakes for each one while delivering, each second otherwise).
     */
    double accrue(double ng, long fromNanos, long nowNanos) {
        if (nowNanos - fromNanos <= 0) {
            return ng;
        }
        double total = ng + (double) rate.nanogramsPerDay() * (nowNanos - fromNanos) / DAY_NANOS;
        if (periodic.isPresent()) {
            PeriodicBolus p = periodic.get();
            long every = p.every().toNanos();
            long over = p.over().toNanos();
            // Boluses k >= 1 whose window [anchor + k*every, + over] meets [from, now].
            long first = Math.max(1, Math.floorDiv(fromNanos - over - anchorNanos, every));
            for (long k = first; anchorNanos + k * every < nowNanos; k++) {
                long start = anchorNanos + k * every;
                long overlap = Math.min(nowNanos, start + over) - Math.max(fromNanos, start);
                if (overlap > 0) {
                    total += (double) p.dose().nanograms() * overlap / over;
                }
            }
        }
        return total;
    }

    /** The prescription's average daily rate: the basal plus the periodic boluses' daily dose. */
    DailyRate perDay() {
        return new DailyRate(Math.addExact(rate.nanogramsPerDay(), periodic.map(p -> p.perDay().nanogramsPerDay()).orElse(0L)));
    }
}
