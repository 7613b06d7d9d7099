package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The write-ahead mark: a step waits for the disk only when the window runs out, never while storage is failing. */
class WriteAheadMarkTest {

    /** A horizon far beyond any window: a fast program. */
    private static final long FAR = Long.MAX_VALUE;
    private final AtomicInteger wakes = new AtomicInteger();
    private final WriteAheadMark mark = new WriteAheadMark(100, wakes::incrementAndGet);

    @Test
    void theFirstStepAsksForAWholeWindowAhead() {
        assertEquals(-1, mark.pending(), "nothing asked for yet");
        CompletableFuture<Void> step = CompletableFuture.runAsync(() -> mark.beforeStep(101, FAR));
        awaitPending(100 + WriteAheadMark.WINDOW);
        assertTrue(wakes.get() >= 1, "the writer was woken");
        mark.durable(mark.pending());
        step.orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(100 + WriteAheadMark.WINDOW, mark.durable());
    }

    @Test
    void stepsInsideTheWindowDoNotWaitAndTheNextWindowIsAskedForHalfWayThrough() {
        mark.durable(100 + WriteAheadMark.WINDOW);
        for (long k = 101; k <= 100 + WriteAheadMark.WINDOW / 2; k++) {
            mark.beforeStep(k, FAR); // would block forever if it waited for the disk
        }
        assertEquals(-1, mark.pending(), "more than half the window is left: nothing asked for");
        mark.beforeStep(100 + WriteAheadMark.WINDOW / 2 + 1, FAR);
        assertEquals(100 + WriteAheadMark.WINDOW / 2 + WriteAheadMark.WINDOW, mark.pending(),
                "half used: the next window is asked for while the steps go on");
    }

    @Test
    void aSlowProgramReservesOnlyWhatItDeliversWithinABatchTime() {
        mark.durable(100);
        CompletableFuture<Void> step = CompletableFuture.runAsync(() -> mark.beforeStep(101, 108));
        awaitPending(108);
        mark.durable(108);
        step.orTimeout(10, TimeUnit.SECONDS).join();
        for (long k = 102; k <= 104; k++) {
            mark.beforeStep(k, k + 7);
        }
        assertEquals(-1, mark.pending(), "4 of 8 left: nothing asked for yet");
        mark.beforeStep(105, 112);
        assertEquals(112, mark.pending(), "fewer than half left: the next batch time is reserved ahead, without waiting");
    }

    @Test
    void whileStorageFailsStepsGoOnWithoutWaiting() {
        CompletableFuture<Void> step = CompletableFuture.runAsync(() -> mark.beforeStep(101, FAR));
        awaitPending(100 + WriteAheadMark.WINDOW);
        mark.failing(true);
        step.orTimeout(10, TimeUnit.SECONDS).join();
        for (long k = 102; k < 1_000; k++) {
            mark.beforeStep(k, FAR);
        }
        assertEquals(100, mark.durable(), "nothing became durable: the report of failing storage says so, not the mark");
    }

    @Test
    void theMarkNeverGoesBack() {
        mark.durable(500);
        mark.durable(300);
        assertEquals(500, mark.durable());
    }

    private void awaitPending(long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mark.pending() != expected) {
            assertTrue(System.nanoTime() < deadline, "pending stayed " + mark.pending());
            Thread.onSpinWait();
        }
    }
}
