package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class StepLatenessTest {

    @Test
    void percentilesOfKnownLatenessesWithinOnePercent() {
        StepLateness lateness = new StepLateness();
        // 1000 steps: 990 at 10 us, 9 at 400 us, 1 at 5 ms. p50 and p99 are 10 us, p99.9 400 us, max 5 ms.
        for (int i = 0; i < 990; i++) {
            lateness.record(10_000);
        }
        for (int i = 0; i < 9; i++) {
            lateness.record(400_000);
        }
        lateness.record(5_000_000);
        StepLateness.Summary s = lateness.summary();
        assertEquals(1000, s.steps());
        assertEquals(10, s.p50Us());
        assertEquals(10, s.p99Us());
        assertEquals(400, s.p999Us(), 4);
        assertEquals(5_000, s.maxUs(), 50);
    }

    @Test
    void earlyStepsCountAsOnTimeAndAnythingPastAnHourAsAnHour() {
        StepLateness lateness = new StepLateness();
        lateness.record(-5_000);
        lateness.record(7_200_000_000_000L);
        StepLateness.Summary s = lateness.summary();
        assertEquals(0, s.p50Us());
        assertEquals(3_600_000_000L, s.maxUs(), 36_000_000L);
    }

    /**
     * Status is asked for by every state snapshot the publisher sends: a summary must not copy the
     * histogram afresh each time (180 KB a copy, once most of what the pump allocated while priming).
     */
    @Test
    void aSummaryAllocatesOnlyItsOwnFewBytes() {
        StepLateness lateness = new StepLateness();
        for (int i = 0; i < 10_000; i++) {
            lateness.record(i * 1_000L);
        }
        lateness.summary();
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            lateness.summary();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64_000, "100 summaries allocated " + allocated + " bytes");
    }
}
