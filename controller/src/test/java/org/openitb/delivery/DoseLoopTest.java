package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openitb.clock.ScaledClock;
import org.openitb.clock.SystemClock;

/** The real-time shell on the real clock: correctness only (never early, wakes on demand, fails loudly), no timing targets. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DoseLoopTest {

    private final SystemClock clock = new SystemClock(ZoneId.of("UTC"));

    @Test
    void ticksNeverBeforeTheDeadlineTheCoreAskedFor() throws InterruptedException {
        assertNeverEarly(DoseLoop.Timing.DOSE, 2_000_000L, 20);
    }

    @Test
    void aLoopThatOnlyParksIsNeverEarlyEither() throws InterruptedException {
        assertNeverEarly(DoseLoop.Timing.INPUTS, 5_000_000L, 10);
    }

    /** Runs a loop whose core asks to be ticked {@code periodNanos} after each tick, and checks no tick came before its deadline. */
    private void assertNeverEarly(DoseLoop.Timing timing, long periodNanos, int ticksWanted) throws InterruptedException {
        List<long[]> ticks = new CopyOnWriteArrayList<>();
        AtomicLong asked = new AtomicLong(clock.nanos());
        CountDownLatch enough = new CountDownLatch(ticksWanted);
        try (DoseLoop loop = DoseLoop.start("test-loop", clock, timing, now -> {
            ticks.add(new long[] {asked.get(), now});
            long next = now + periodNanos;
            asked.set(next);
            enough.countDown();
            return next;
        }, e -> { })) {
            assertTrue(enough.await(30, TimeUnit.SECONDS));
        }
        for (long[] t : ticks) {
            assertTrue(t[1] - t[0] >= 0, "ticked " + (t[0] - t[1]) + " ns early");
        }
    }

    @Test
    void timingsOutsideTheirBoundsAreRefused() {
        Assertions.assertThrows(IllegalArgumentException.class, () -> new DoseLoop.Timing(-1, 0));
        Assertions.assertThrows(IllegalArgumentException.class, () -> new DoseLoop.Timing(1_000_001, 0));
        Assertions.assertThrows(IllegalArgumentException.class, () -> new DoseLoop.Timing(0, 50));
        assertTrue(DoseLoop.Timing.DOSE.realtimePriority() > DoseLoop.Timing.INPUTS.realtimePriority(), "steps before alarms");
    }

    @Test
    void tuningAThreadAlwaysTightensItsTimerSlackAndReportsWhatItWasRefused() throws Exception {
        CompletableFuture<List<String>> notes = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> notes.complete(ThreadTuning.tuneCurrentThread(0)));
        t.join();
        assertEquals(List.of("timer slack 1 ns"), notes.get(), "no privilege is needed for the slack");
        Assertions.assertThrows(IllegalArgumentException.class, () -> ThreadTuning.tuneCurrentThread(50));
    }

    @Test
    void aWakeTicksAtOnceInsteadOfAtTheDeadline() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        try (DoseLoop loop = DoseLoop.start("test-loop", clock, now -> {
            first.countDown();
            second.countDown();
            return now + TimeUnit.HOURS.toNanos(1);
        }, e -> { })) {
            assertTrue(first.await(30, TimeUnit.SECONDS));
            loop.wake();
            assertTrue(second.await(30, TimeUnit.SECONDS), "woken long before its hour was up");
        }
    }

    /**
     * Under {@code simulate}, a loop the host held up finds simulated time standing still for it;
     * its next pass then spins out a pulse's width on that clock. Were the loop still counted as
     * late while it runs, the clock would wait for the loop and the loop for the clock, until the
     * clock's longest hold (5 s of real time) gave way: a demo at 3600x once took 45 s instead of 5.
     * The same inside a pass held up (by a wait for the disk) after it began.
     */
    @Test
    void aLateLoopsOwnPassDoesNotWaitOnTheClockHeldForIt() throws Exception {
        ScaledClock scaled = new ScaledClock(3_600, ZoneId.of("UTC"));
        CompletableFuture<Long> spinRealNanos = new CompletableFuture<>();
        AtomicLong passes = new AtomicLong();
        try (DoseLoop loop = DoseLoop.start("test-loop", scaled, DoseLoop.Timing.INPUTS, now -> {
            if (passes.incrementAndGet() == 1) {
                try {
                    Thread.sleep(30); // the host holds the loop up: 108 s of the pump's time, past its next deadline
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return now + 1_000_000L;
            }
            try {
                Thread.sleep(30); // and again, inside this pass: waiting on the disk holds simulated time back
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            long start = System.nanoTime();
            scaled.spinUntil(scaled.nanos() + 2_000L); // a 2 us pulse
            spinRealNanos.complete(System.nanoTime() - start);
            return now + TimeUnit.HOURS.toNanos(1);
        }, spinRealNanos::completeExceptionally)) {
            long spun = spinRealNanos.get(30, TimeUnit.SECONDS);
            assertTrue(scaled.heldNanos() > 0, "the clock did wait for the late loop");
            assertTrue(spun < TimeUnit.SECONDS.toNanos(2), "a 2 us pulse took " + spun / 1e6 + " ms of real time");
        }
    }

    @Test
    void aFailingCoreIsReportedAndEndsTheLoop() throws Exception {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        try (DoseLoop loop = DoseLoop.start("test-loop", clock, now -> {
            throw new IllegalStateException("broken invariant");
        }, reported::complete)) {
            Throwable e = reported.get(30, TimeUnit.SECONDS);
            assertEquals("broken invariant", e.getMessage());
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (loop.alive() && System.nanoTime() < limit) {
                Thread.sleep(1);
            }
            assertFalse(loop.alive());
        }
    }
}
