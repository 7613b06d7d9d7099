package org.openitb.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The shared thread shell: passes at the times they ask for, early when woken, none after close, failures told. */
class LoopThreadTest {

    private static final long HOUR = 3_600_000_000_000L;
    private final Clock clock = new SystemClock(ZoneOffset.UTC);

    @Test
    void aPassThatAsksForAnHourIsRunAgainAtOnceWhenWoken() throws Exception {
        CountDownLatch second = new CountDownLatch(2);
        AtomicInteger passes = new AtomicInteger();
        try (LoopThread loop = LoopThread.create("test-loop", clock, Thread.NORM_PRIORITY, now -> {
            passes.incrementAndGet();
            second.countDown();
            return now + HOUR;
        }, e -> { }).start()) {
            assertTrue(waitFor(() -> passes.get() == 1), "the first pass runs at once");
            loop.wake();
            assertTrue(second.await(30, TimeUnit.SECONDS), "woken, it runs again instead of waiting the hour");
        }
    }

    @Test
    void aPassThatAsksForNowIsRunAgainWithoutWaiting() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        try (LoopThread loop = LoopThread.create("test-loop", clock, Thread.NORM_PRIORITY, now -> {
            return passes.incrementAndGet() < 100 ? now : now + HOUR;
        }, e -> { }).start()) {
            assertTrue(waitFor(() -> passes.get() == 100), "100 passes back to back, none parked for the hour: " + passes.get());
        }
    }

    @Test
    void closeEndsTheThreadAndNoPassFollows() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        LoopThread loop = LoopThread.create("test-loop", clock, Thread.NORM_PRIORITY, now -> {
            passes.incrementAndGet();
            return now + HOUR;
        }, e -> { }).start();
        assertTrue(waitFor(() -> passes.get() == 1));
        loop.close();
        assertFalse(loop.alive());
        loop.wake();
        assertEquals(1, passes.get());
    }

    @Test
    void aPassThatThrowsIsToldToTheHandlerAndEndsTheLoop() throws Exception {
        AtomicReference<Throwable> told = new AtomicReference<>();
        try (LoopThread loop = LoopThread.create("test-loop", clock, Thread.NORM_PRIORITY, now -> {
            throw new IllegalStateException("broken invariant");
        }, told::set).start()) {
            assertTrue(waitFor(() -> !loop.alive()), "the loop ended");
            assertEquals("broken invariant", told.get().getMessage());
        }
    }

    @Test
    void aLoopNeverStartedClosesAtOnce() {
        LoopThread loop = LoopThread.create("test-loop", clock, Thread.NORM_PRIORITY, now -> now, e -> { });
        loop.wake();
        loop.close();
        assertFalse(loop.alive());
    }

    /** Up to 30 s of real time for {@code condition}: generous for a loaded machine, never the measure. */
    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
