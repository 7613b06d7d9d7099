package org.openitb.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScaledClockTest {

    @Test
    void runsSpeedTimesFasterThanRealTime() {
        ScaledClock clock = new ScaledClock(3_600, ZoneId.of("UTC"));
        long realStart = System.nanoTime();
        long simStart = clock.nanos();
        var wallStart = clock.instant();
        long deadline = simStart + Duration.ofSeconds(36).toNanos(); // 10 ms of real time
        while (clock.nanos() - deadline < 0) {
            clock.parkUntil(deadline);
        }
        long real = System.nanoTime() - realStart;
        long sim = clock.nanos() - simStart;
        assertTrue(real >= 10_000_000L, "at least 10 ms really passed: " + real);
        assertEquals(sim / 3_600.0, real, real * 0.05 + 1_000_000, "simulated time is real time times the speed");
        long simBefore = clock.nanos() - simStart;
        long wallElapsed = Duration.between(wallStart, clock.instant()).toNanos();
        long simAfter = clock.nanos() - simStart;
        // The readings are a few real microseconds apart, hours of them at this speed: bracket, do not equate.
        assertTrue(wallElapsed >= simBefore - Duration.ofSeconds(1).toNanos() && wallElapsed <= simAfter + Duration.ofSeconds(1).toNanos(),
                "wall time moves at the same speed: " + wallElapsed + " within " + simBefore + ".." + simAfter);
    }

    @Test
    void refusesSpeedsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ScaledClock(0, ZoneId.of("UTC")));
        assertThrows(IllegalArgumentException.class, () -> new ScaledClock(ScaledClock.MAX_SPEED + 1, ZoneId.of("UTC")));
    }
}
