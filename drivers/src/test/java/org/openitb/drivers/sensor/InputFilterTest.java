package org.openitb.drivers.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputFilterTest {

    private static final long MS = 1_000_000L;
    private final InputFilter filter = new InputFilter(20 * MS, 4, 1_000 * MS);

    @Test
    void theFirstSampleIsBelievedAtOnce() {
        filter.sample(0, true, 0);
        assertTrue(filter.debounced());
        assertEquals(Long.MAX_VALUE, filter.nextDeadline());
    }

    @Test
    void aChangeIsBelievedOnlyAfterHoldingStillForTheDebounceTime() {
        filter.sample(0, false, 0);
        filter.sample(5 * MS, true, 1);
        assertFalse(filter.debounced());
        assertEquals(25 * MS, filter.nextDeadline());
        filter.sample(24 * MS, true, 0);
        assertFalse(filter.debounced());
        filter.sample(25 * MS, true, 0);
        assertTrue(filter.debounced());
        assertEquals(Long.MAX_VALUE, filter.nextDeadline());
    }

    @Test
    void aBounceRestartsTheDebounceTime() {
        filter.sample(0, false, 0);
        filter.sample(10 * MS, true, 1);
        filter.sample(20 * MS, false, 1);
        filter.sample(22 * MS, true, 1);
        filter.sample(41 * MS, true, 0);
        assertFalse(filter.debounced());
        filter.sample(42 * MS, true, 0);
        assertTrue(filter.debounced());
    }

    @Test
    void aGlitchBetweenTwoSamplesStillCountsAsMovement() {
        filter.sample(0, false, 0);
        filter.sample(10 * MS, true, 1);
        // Raw is still high, but the hardware saw it drop and come back in between.
        filter.sample(25 * MS, true, 2);
        filter.sample(30 * MS, true, 0);
        assertFalse(filter.debounced(), "the timer restarted at 25 ms");
        filter.sample(45 * MS, true, 0);
        assertTrue(filter.debounced());
    }

    @Test
    void aShortPulseNeverGetsThrough() {
        filter.sample(0, false, 0);
        filter.sample(10 * MS, true, 1);
        filter.sample(15 * MS, false, 1);
        filter.sample(100 * MS, false, 0);
        assertFalse(filter.debounced());
    }

    @Test
    void zeroDebounceFollowsTheRawLevel() {
        InputFilter raw = new InputFilter(0, 4, 1_000 * MS);
        raw.sample(0, false, 0);
        raw.sample(1, true, 1);
        assertTrue(raw.debounced());
    }

    @Test
    void chatterIsMoreEdgesThanTheLimitInsideTheWindow() {
        filter.sample(0, false, 0);
        filter.sample(100 * MS, false, 4);
        assertFalse(filter.chattering(), "4 edges is the limit, not over it");
        filter.sample(1_200 * MS, false, 1);
        assertFalse(filter.chattering(), "the earlier edges are outside the window");
        filter.sample(1_300 * MS, false, 4);
        assertTrue(filter.chattering(), "5 edges within one second");
    }

    @Test
    void chatterClearsAfterAQuietWindow() {
        filter.sample(0, false, 0);
        filter.sample(10 * MS, true, 9);
        assertTrue(filter.chattering());
        filter.sample(900 * MS, true, 0);
        assertTrue(filter.chattering());
        filter.sample(1_009 * MS, true, 0);
        assertTrue(filter.chattering());
        filter.sample(1_010 * MS, true, 0);
        assertFalse(filter.chattering());
    }

    @Test
    void whileChatteringTheLastBelievedStateHolds() {
        filter.sample(0, false, 0);
        for (int i = 1; i <= 50; i++) {
            filter.sample(i * 5 * MS, i % 2 == 1, 1);
        }
        assertTrue(filter.chattering());
        assertFalse(filter.debounced());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new InputFilter(-1, 4, MS));
        assertThrows(IllegalArgumentException.class, () -> new InputFilter(0, 0, MS));
        assertThrows(IllegalArgumentException.class, () -> new InputFilter(0, 4, 0));
    }
}
