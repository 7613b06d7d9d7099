package org.openitb.accuracy;

/**
 * One balance reading in a gravimetric test.
 *
 * @param atNanos when it was taken, ns since the test started (monotonic)
 * @param grams   what the balance showed, g
 */
public record Reading(long atNanos, double grams) {

    public Reading {
        if (atNanos < 0) {
            throw new IllegalArgumentException("a reading before the test started: " + atNanos + " ns");
        }
        if (!Double.isFinite(grams)) {
            throw new IllegalArgumentException("a reading that is not a number: " + grams);
        }
    }
}
