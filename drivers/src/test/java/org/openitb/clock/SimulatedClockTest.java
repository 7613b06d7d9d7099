package org.openitb.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {

    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-03-29T00:30:00Z"), ZoneId.of("Europe/Berlin"));

    @Test
    void advancesMonotonicAndWallTimeTogether() {
        clock.advance(Duration.ofHours(2));
        assertEquals(Duration.ofHours(2).toNanos(), clock.nanos());
        assertEquals(Instant.parse("2026-03-29T02:30:00Z"), clock.instant());
    }

    @Test
    void wallTimeFollowsTheZoneAcrossSpringForward() {
        // Berlin springs forward at 01:00 UTC on 2026-03-29: 02:00 local becomes 03:00.
        assertEquals(1, clock.wallTime().getHour());
        clock.advance(Duration.ofHours(1));
        assertEquals(ZonedDateTime.parse("2026-03-29T03:30+02:00[Europe/Berlin]"), clock.wallTime());
    }

    @Test
    void wallClockJumpsLeaveMonotonicTimeAlone() {
        clock.advance(Duration.ofMinutes(5));
        long before = clock.nanos();
        clock.setWallTime(Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(before, clock.nanos());
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Instant.parse("2020-01-01T00:00:01Z"), clock.instant());
    }

    @Test
    void refusesToGoBack() {
        assertThrows(IllegalArgumentException.class, () -> clock.advanceNanos(-1));
        clock.advanceTo(100);
        clock.advanceTo(50);
        assertEquals(100, clock.nanos());
    }

    @Test
    void spinningSpendsSimulatedTime() {
        clock.spinUntil(1_900);
        assertEquals(1_900, clock.nanos());
        clock.spinUntil(1_000); // already past: no effect
        assertEquals(1_900, clock.nanos());
    }

    @Test
    void parkedThreadWakesWhenTheClockPassesItsDeadline() throws InterruptedException {
        AtomicLong wokeAt = new AtomicLong(-1);
        CountDownLatch parked = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            parked.countDown();
            while (clock.nanos() < 1_000_000) {
                clock.parkUntil(1_000_000);
            }
            wokeAt.set(clock.nanos());
        });
        parked.await();
        awaitParked(1);
        clock.advanceNanos(999_999);
        assertEquals(-1, wokeAt.get(), "woke before its deadline");
        clock.advanceNanos(1);
        sleeper.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(1_000_000, wokeAt.get());
        assertEquals(0, clock.parkedThreads());
    }

    @Test
    void parkReturnsAtOnceWhenTheDeadlineHasPassed() {
        clock.advanceNanos(10);
        clock.parkUntil(5);
        assertEquals(0, clock.parkedThreads());
    }

    private void awaitParked(int threads) throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.parkedThreads() < threads) {
            assertTrue(System.nanoTime() < limit, "thread never parked");
            Thread.sleep(1);
        }
    }
}
