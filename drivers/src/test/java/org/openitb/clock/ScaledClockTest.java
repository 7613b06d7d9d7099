package org.openitb.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
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

    /** 20 ms of real time at 1000x is 20 s: the simulated bound, 5 s, is the tighter. */
    private static final long LAG_AT_1000X = Duration.ofSeconds(5).toNanos();

    @Test
    void theLagALoopIsAllowedIsTwentyRealMillisecondsAndNeverMoreThanFiveSimulatedSeconds() {
        assertEquals(Duration.ofMillis(200).toNanos(), new ScaledClock(10, ZoneId.of("UTC")).lagNanos());
        assertEquals(Duration.ofSeconds(5).toNanos(), new ScaledClock(250, ZoneId.of("UTC")).lagNanos());
        assertEquals(LAG_AT_1000X, new ScaledClock(1_000, ZoneId.of("UTC")).lagNanos());
        assertEquals(Duration.ofSeconds(5).toNanos(), new ScaledClock(3_600, ZoneId.of("UTC")).lagNanos());
    }

    /**
     * At 3600x, a loop 30 ms of real time late is 108 s of the pump's time late: more than the
     * minute the pump has to raise an occlusion alarm. Simulated time waits for it well within that.
     */
    @Test
    void atHighSpeedALoopLateByFewRealMillisecondsHoldsTimeWithinSecondsOfThePumps() throws InterruptedException {
        ScaledClock clock = new ScaledClock(3_600, ZoneId.of("UTC"));
        Pace loop = clock.pace("input-loop");
        long due = clock.nanos();
        loop.due(due);
        Thread.sleep(30);
        long held = clock.nanos();
        assertTrue(held - due <= Duration.ofSeconds(5).toNanos(), "held within 5 simulated seconds: " + (held - due) / 1e9 + " s");
        assertTrue(clock.heldNanos() >= Duration.ofSeconds(60).toNanos(), "held back " + clock.heldNanos() / 1e9 + " s");
    }

    /** Between two readings 20 ms of real time apart at 1000x: about 20 s on (not held, and no leap of the time held). */
    private static void assertRanAtSpeed(long from, long to) {
        assertTrue(to - from >= Duration.ofSeconds(15).toNanos() && to - from < Duration.ofSeconds(100).toNanos(),
                "time runs on from where it stood, at speed: " + (to - from) / 1e9 + " s in 20 ms");
    }

    @Test
    void aLateLoopHoldsSimulatedTimeAndItGoesOnFromThereNotWithALeap() throws InterruptedException {
        ScaledClock clock = new ScaledClock(1_000, ZoneId.of("UTC"));
        Pace loop = clock.pace("dose-loop");
        long due = clock.nanos();
        loop.due(due);
        Thread.sleep(200); // the loop does not run: 200 s of simulated time would pass
        long held = clock.nanos();
        assertTrue(held <= due + LAG_AT_1000X, "time stood within the lag of the late loop: " + (held - due) / 1e9 + " s");
        assertTrue(clock.heldNanos() >= Duration.ofSeconds(150).toNanos(), "held back " + clock.heldNanos() / 1e9 + " s");
        loop.due(held + Duration.ofSeconds(60).toNanos()); // it ran, and sleeps for a simulated minute
        Thread.sleep(20);
        long after = clock.nanos();
        assertRanAtSpeed(held, after);
    }

    @Test
    void aLoopThatHangsLongerThanTheHoldLetsTimeRunForTheWatchdogs() throws InterruptedException {
        ScaledClock clock = new ScaledClock(1_000, ZoneId.of("UTC"), Instant.parse("2026-01-01T00:00:00Z"), 50_000_000L);
        Pace hung = clock.pace("dose-loop");
        Pace inputs = clock.pace("input-loop");
        long due = clock.nanos();
        hung.due(due);
        for (int i = 0; i < 30; i++) {
            Thread.sleep(10);
            inputs.due(clock.nanos() + 1_000_000L); // another loop's passes do not count as the hung one's
        }
        assertTrue(clock.nanos() - due > LAG_AT_1000X + Duration.ofSeconds(100).toNanos(),
                "held 50 ms at most, then runs: " + (clock.nanos() - due) / 1e9 + " s");
    }

    @Test
    void timeLetRunAfterTheLongestHoldGoesOnFromWhereItStoodNotWithALeap() throws InterruptedException {
        ScaledClock clock = new ScaledClock(1_000, ZoneId.of("UTC"), Instant.parse("2026-01-01T00:00:00Z"), 50_000_000L);
        Pace hung = clock.pace("dose-loop");
        long due = clock.nanos();
        hung.due(due);
        Thread.sleep(30);
        long held = clock.nanos(); // holding since this reading
        assertTrue(held <= due + LAG_AT_1000X);
        Thread.sleep(300); // nobody reads the clock meanwhile; the hold's limit (50 ms) passes
        long released = clock.nanos();
        assertTrue(released <= due + LAG_AT_1000X, "released from where it stood, not 300 s on: " + (released - due) / 1e9 + " s");
        Thread.sleep(20);
        long running = clock.nanos();
        assertRanAtSpeed(released, running);
    }

    @Test
    void aReleasedLoopHoldsNothing() throws InterruptedException {
        ScaledClock clock = new ScaledClock(1_000, ZoneId.of("UTC"));
        Pace loop = clock.pace("dose-loop");
        long due = clock.nanos();
        loop.due(due);
        loop.release();
        Thread.sleep(100);
        assertTrue(clock.nanos() - due >= Duration.ofSeconds(90).toNanos());
        assertEquals(0, clock.heldNanos());
    }

    @Test
    void aRealClockWaitsForNoLoop() {
        assertEquals(Pace.NONE, new SystemClock(ZoneId.of("UTC")).pace("dose-loop"));
    }

    /**
     * Four threads read the clock while a late loop holds it: each one's readings never go back. A
     * reader preempted between its real-time reading and the time held (raised meanwhile by
     * another's hold) once computed a time before what it had last been handed.
     */
    @Test
    void timeNeverGoesBackForAnyReaderWhileLoopsHoldIt() throws Exception {
        ScaledClock clock = new ScaledClock(ScaledClock.MAX_SPEED, ZoneId.of("UTC"));
        Pace late = clock.pace("dose-loop");
        late.due(clock.nanos()); // and it never runs again: after the lag, every reading holds time
        Thread.sleep(30);
        long[] worstBack = new long[4];
        Thread[] readers = new Thread[4];
        long stopAt = System.nanoTime() + 300_000_000L;
        for (int i = 0; i < readers.length; i++) {
            int me = i;
            readers[i] = Thread.ofPlatform().start(() -> {
                long last = clock.nanos();
                while (System.nanoTime() - stopAt < 0) {
                    long now = clock.nanos();
                    worstBack[me] = Math.max(worstBack[me], last - now);
                    last = Math.max(last, now);
                }
            });
        }
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(0, Arrays.stream(worstBack).max().orElseThrow(), "the most any reader saw time go back, ns");
    }
}
