package org.openitb.testing;

import org.junit.jupiter.api.Assertions;

/**
 * {@code assertEquals} with a tolerance for whole numbers (microsteps, nanograms, microseconds).
 * Imported beside JUnit's, it is the overload a call on longs resolves to; without it such a call
 * goes to JUnit's float version, which rounds both numbers to 24 bits (above 16 777 216 a float
 * cannot tell one microstep from the next) and so compares less than it says.
 */
public final class LongAssertions {

    private LongAssertions() {
    }

    /** {@code actual} is within {@code delta} of {@code expected}, compared exactly. */
    public static void assertEquals(long expected, long actual, long delta) {
        assertEquals(expected, actual, delta, null);
    }

    /** As {@link #assertEquals(long, long, long)}, with a message. */
    public static void assertEquals(long expected, long actual, long delta, String message) {
        if (delta < 0) {
            throw new IllegalArgumentException("a negative tolerance: " + delta);
        }
        if (Math.abs(Math.subtractExact(expected, actual)) > delta) {
            Assertions.fail((message == null ? "" : message + " ==> ") + "expected: <" + expected + "> within " + delta + " but was: <"
                    + actual + ">");
        }
    }
}
