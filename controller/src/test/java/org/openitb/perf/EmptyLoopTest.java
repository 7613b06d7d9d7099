package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SimulatedClock;

class EmptyLoopTest {

    @Test
    void itWakesOncePerPeriodAndIsTimedAgainstItsOwnDeadlines() throws InterruptedException {
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-12-03T00:00:00Z"), ZoneOffset.UTC);
        long start = clock.nanos();
        try (EmptyLoop loop = EmptyLoop.start(clock, 1_000)) {
            // Deadlines at start + 1, 3, 5 ... ms. Move time on in steps the loop keeps up with.
            for (int i = 0; i < 100; i++) {
                clock.advanceTo(start + 1_000_000 + i * EmptyLoop.INTERVAL_NANOS + 1_000); // 1 us after each deadline
                awaitWakes(loop, i + 1);
            }
            // Wakes whose deadlines fall within [start + 1 ms, start + 101 ms]: the first 51, each 1 us late.
            Histogram h = loop.latenessUs(start + 1_000_000, start + 101_000_000);
            assertEquals(51, h.getTotalCount());
            assertEquals(1, h.getMaxValue());
            assertEquals(1, h.getMinValue());
            assertTrue(Latency.countAbove(h, 0) == 51 && Latency.countAbove(h, 1) == 0);
        }
    }

    private static void awaitWakes(EmptyLoop loop, int wakes) throws InterruptedException {
        for (int i = 0; i < 10_000 && loop.wakes() < wakes; i++) {
            Thread.sleep(1);
        }
        assertEquals(wakes, loop.wakes(), "wakes after the clock passed deadline " + wakes);
    }
}
