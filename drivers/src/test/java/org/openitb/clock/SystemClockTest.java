package org.openitb.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SystemClockTest {

    private final SystemClock clock = new SystemClock(ZoneId.of("UTC"));

    @Test
    void monotonicTimeNeverGoesBack() {
        long previous = clock.nanos();
        for (int i = 0; i < 10_000; i++) {
            long now = clock.nanos();
            assertTrue(now - previous >= 0);
            previous = now;
        }
    }

    @Test
    void spinAndParkReturnOnlyAtOrAfterTheirDeadline() {
        long deadline = clock.nanos() + TimeUnit.MICROSECONDS.toNanos(50);
        clock.spinUntil(deadline);
        assertTrue(clock.nanos() - deadline >= 0);

        long parkDeadline = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(2);
        while (clock.nanos() - parkDeadline < 0) {
            clock.parkUntil(parkDeadline);
        }
        assertTrue(clock.nanos() - parkDeadline >= 0);
    }

    @Test
    void unparkWakesAParkedThreadBeforeItsDeadline() throws InterruptedException {
        CountDownLatch woke = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            started.countDown();
            clock.parkUntil(clock.nanos() + TimeUnit.HOURS.toNanos(1));
            woke.countDown();
        });
        started.await();
        LockSupport.unpark(sleeper);
        // Unparking before the park is allowed: the permit makes the park return at once.
        assertTrue(woke.await(30, TimeUnit.SECONDS), "an unparked thread must not wait out its deadline");
        sleeper.join();
    }

    @Test
    void reportsItsZone() {
        assertEquals(ZoneId.of("UTC"), clock.zone());
        assertEquals(ZoneId.of("UTC"), clock.wallTime().getZone());
    }
}
