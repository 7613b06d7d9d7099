package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RiseRecorderTest {

    @Test
    void keepsEdgesInOrderAndCountsThoseUntilAnInstant() {
        RiseRecorder r = new RiseRecorder(8);
        for (long t : new long[] {100, 200, 300, 300, 500}) {
            r.accept(t);
        }
        assertEquals(5, r.recorded());
        assertEquals(300, r.rise(2));
        assertEquals(0, r.until(99));
        assertEquals(1, r.until(100));
        assertEquals(4, r.until(300), "edges at the instant itself count");
        assertEquals(4, r.until(499));
        assertEquals(5, r.until(10_000));
    }

    @Test
    void edgesBeyondTheCapacityAreCountedNotKept() {
        RiseRecorder r = new RiseRecorder(2);
        r.accept(1);
        r.accept(2);
        r.accept(3);
        assertEquals(2, r.recorded());
        assertEquals(1, r.overflow());
        assertThrows(IndexOutOfBoundsException.class, () -> r.rise(2));
    }

    @Test
    void aCapacityOutsideItsBoundsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RiseRecorder(0));
        assertThrows(IllegalArgumentException.class, () -> new RiseRecorder(RiseRecorder.MAX_RISES + 1));
    }
}
