package org.openitb.accuracy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a gravimetric test found ({@link Gravimetry#analyse}).
 *
 * @param delivered volume out since the first reading, uL, at each reading: delivered against ideal
 * @param flow      the start-up curve: the flow between each reading and the one before, uL/h
 * @param overall   the rate error over the analysis period (none if it holds fewer than two readings)
 * @param trumpet   for each observation window, its largest and smallest error
 */
public record Analysis(List<Point> delivered, List<Point> flow, Optional<Error> overall, List<Window> trumpet) {

    public Analysis {
        delivered = List.copyOf(delivered);
        flow = List.copyOf(flow);
        trumpet = List.copyOf(trumpet);
    }

    /** A value at a time since the test started, ns. */
    public record Point(long atNanos, double value) {
    }

    /**
     * A flow error between two readings.
     *
     * @param fromNanos          the first reading's time
     * @param toNanos            the second's
     * @param percent            100 (flow - rate) / rate
     * @param uncertaintyPercent plus or minus, from the balance's readability
     */
    public record Error(long fromNanos, long toNanos, double percent, double uncertaintyPercent) {
    }

    /**
     * One point of the trumpet curve.
     *
     * @param length             the observation window, the standard's P
     * @param max                E_p(max), if any window of this length had both end readings
     * @param min                E_p(min)
     * @param windows            how many windows were measured
     * @param expected           how many the analysis period holds (more than {@code windows}: readings were missing)
     * @param uncertaintyPercent plus or minus on each, from the balance's readability
     */
    public record Window(Duration length, Optional<Error> max, Optional<Error> min, int windows, int expected, double uncertaintyPercent) {
    }
}
