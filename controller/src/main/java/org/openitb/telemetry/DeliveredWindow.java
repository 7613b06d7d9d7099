package org.openitb.telemetry;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Drug delivered over the last 24 h, from samples of the running total taken as state snapshots
 * are made: the total now minus the total at the newest sample at least 24 h old (so the window
 * may reach up to {@link #SPACING} further back). A sample is kept
 * at most every {@link #SPACING}, so the window holds at most ~150 of them.
 */
final class DeliveredWindow {

    static final Duration WINDOW = Duration.ofHours(24);
    static final Duration SPACING = Duration.ofMinutes(10);
    static final int SAMPLE_LIMIT = (int) (WINDOW.toSeconds() / SPACING.toSeconds()) + 2;

    private record Sample(Instant at, BigDecimal mcg) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** What the window says after the total {@code mcg} at {@code at}: the amount and how many hours it covers (< 24 after a start). */
    record Reading(BigDecimal mcg, double hours) {
    }

    Reading add(Instant at, BigDecimal mcg) {
        if (!samples.isEmpty() && (at.isBefore(samples.peekLast().at()) || mcg.compareTo(samples.peekLast().mcg()) < 0)) {
            samples.clear(); // a clock set back or a counter reset: start the window again rather than report nonsense
        }
        if (samples.isEmpty() || !at.isBefore(samples.peekLast().at().plus(SPACING))) {
            samples.addLast(new Sample(at, mcg));
        }
        Instant from = at.minus(WINDOW);
        while (samples.size() > 1) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            if (it.next().at().isAfter(from)) {
                break;
            }
            samples.removeFirst(); // the second is old enough to serve as the base: the first is not needed
        }
        while (samples.size() > SAMPLE_LIMIT) {
            samples.removeFirst();
        }
        Sample base = samples.peekFirst();
        double hours = Math.min(WINDOW.toSeconds(), Duration.between(base.at(), at).toSeconds()) / 3600.0;
        return new Reading(mcg.subtract(base.mcg()), hours);
    }
}
