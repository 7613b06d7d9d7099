package org.openitb.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Why the tolerance checks on microsteps go through {@link LongAssertions}: JUnit's would compare floats. */
class LongAssertionsTest {

    @Test
    void oneMicrostepApartAboveTwoToTheTwentyFourIsSeen() {
        long expected = 16_777_217;
        long actual = 16_777_216;
        // What a call on longs resolved to before: both rounded to the same float, so it passes.
        Assertions.assertEquals((float) expected, (float) actual, 0f);
        assertThrows(AssertionFailedError.class, () -> LongAssertions.assertEquals(expected, actual, 0));
        LongAssertions.assertEquals(expected, actual, 1);
    }

    @Test
    void theToleranceIsInclusiveAndTheMessageSaysWhatWasCompared() {
        LongAssertions.assertEquals(100, 98, 2);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> LongAssertions.assertEquals(100, 97, 2, "three off"));
        Assertions.assertEquals("three off ==> expected: <100> within 2 but was: <97>", e.getMessage());
    }
}
