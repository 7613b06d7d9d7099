package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What systemd hears, as the loops pass, hang and come back, on a hand-driven real-time axis. */
class ServiceHealthTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final AtomicLong dose = new AtomicLong();
    private final AtomicLong input = new AtomicLong();
    private final AtomicReference<String> summary = new AtomicReference<>("idle; reservoir 20.0 mL; no alarms");
    private final List<String> sent = new ArrayList<>();
    private long now;

    private ServiceHealth health(OptionalLong watchdog) {
        return new ServiceHealth(List.of(new ServiceHealth.Heartbeat("dose loop", dose::get), new ServiceHealth.Heartbeat("input loop", input::get)),
                summary::get, watchdog, now);
    }

    /** Runs the health check every 250 ms for {@code span}, both loops passing when {@code passing}. */
    private void run(ServiceHealth health, long span, boolean dosePassing, boolean inputPassing) {
        long end = now + span;
        while (now < end) {
            if (dosePassing) {
                dose.incrementAndGet();
            }
            if (inputPassing) {
                input.incrementAndGet();
            }
            now = health.tick(now, sent::add);
        }
    }

    private long count(String line) {
        return sent.stream().filter(m -> m.lines().anyMatch(line::equals)).count();
    }

    @Test
    void readyOnlyOnceEveryLoopHasPassed() {
        ServiceHealth health = health(OptionalLong.of(10 * SECOND));
        run(health, SECOND, true, false);
        assertFalse(health.ready(), "the input loop (the alarm supervisor) has not run yet");
        assertTrue(sent.isEmpty(), sent.toString());
        run(health, 250 * MS, true, true);
        assertTrue(health.ready());
        assertEquals(List.of("READY=1\nSTATUS=idle; reservoir 20.0 mL; no alarms\nWATCHDOG=1"), sent);
    }

    @Test
    void petsAtHalfTheWatchdogWhileBothLoopsPass() {
        ServiceHealth health = health(OptionalLong.of(4 * SECOND));
        run(health, 20 * SECOND, true, true);
        assertEquals(1, count("READY=1"));
        // READY pets once, then every 2 s: 20 s gives 10 pets in all.
        assertEquals(10, count("WATCHDOG=1"));
    }

    @Test
    void aHungDoseLoopIsNeverPettedOverAndIsSaidInStatus() {
        ServiceHealth health = health(OptionalLong.of(4 * SECOND));
        run(health, 5 * SECOND, true, true);
        sent.clear();
        long hungAt = now;
        run(health, 10 * SECOND, false, true);
        // A pet may still go out before the stall shows (2 s); none after.
        assertTrue(count("WATCHDOG=1") <= 1, sent.toString());
        String hang = sent.stream().filter(m -> m.contains("STATUS=not responding")).findFirst().orElseThrow();
        assertTrue(hang.matches("STATUS=not responding: dose loop 2\\.\\d s without a pass; systemd watchdog not fed"), hang);
        // The hang's length is told as it grows, at most once a second: 8 s shown after 2 s of quiet.
        assertEquals(8, sent.stream().filter(m -> m.contains("not responding")).count(), sent.toString());
        assertTrue(now - hungAt >= 4 * SECOND, "systemd would have restarted us by now");

        sent.clear();
        run(health, 3 * SECOND, true, true);
        assertTrue(count("WATCHDOG=1") >= 1, "pets resume with the loop: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m.contains("STATUS=idle; reservoir 20.0 mL; no alarms")), sent.toString());
    }

    @Test
    void aHungInputLoopStopsThePetsToo() {
        ServiceHealth health = health(OptionalLong.of(4 * SECOND));
        run(health, 5 * SECOND, true, true);
        sent.clear();
        run(health, 10 * SECOND, true, false);
        assertTrue(count("WATCHDOG=1") <= 1, sent.toString());
        assertTrue(sent.stream().anyMatch(m -> m.contains("STATUS=not responding: input loop")), sent.toString());
    }

    @Test
    void withoutAWatchdogStatusAloneAndOnlyOnChangeAtMostOnceASecond() {
        ServiceHealth health = health(OptionalLong.empty());
        run(health, 3 * SECOND, true, true);
        assertEquals(List.of("READY=1\nSTATUS=idle; reservoir 20.0 mL; no alarms"), sent);
        sent.clear();
        for (int i = 0; i < 8; i++) {
            summary.set("delivering continuous 400mcg/day; reservoir 19." + i + " mL; no alarms");
            run(health, 250 * MS, true, true);
        }
        assertEquals(0, count("WATCHDOG=1"));
        assertEquals(2, sent.size(), "8 changes in 2 s, said at most once a second: " + sent);
    }

    @Test
    void statusIsOneBoundedLine() {
        summary.set("halted (occlusion)\nsecond line " + "x".repeat(400));
        ServiceHealth health = health(OptionalLong.empty());
        run(health, 250 * MS, true, true);
        String status = sent.get(0).lines().filter(l -> l.startsWith("STATUS=")).findFirst().orElseThrow();
        assertEquals(ServiceHealth.MAX_STATUS_CHARS, status.length() - "STATUS=".length());
        assertTrue(status.startsWith("STATUS=halted (occlusion) second line"), status);
        assertEquals("STOPPING=1\nSTATUS=stopping: shutting down", ServiceHealth.stopping("shutting down"));
    }

    @Test
    void theWatchdogIsOursOnlyWhenSystemdSaysSo() {
        assertEquals(OptionalLong.of(10 * SECOND), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "10000000"), 42));
        assertEquals(OptionalLong.of(10 * SECOND), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "42"), 42));
        assertEquals(OptionalLong.empty(), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "41"), 42),
                "meant for another process (a shell that exec'd us would have passed it on)");
        assertEquals(OptionalLong.empty(), ServiceNotifier.watchdogNanos(Map.of(), 42));
        assertEquals(OptionalLong.empty(), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "ten"), 42));
        assertEquals(OptionalLong.empty(), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "0"), 42));
        assertEquals(OptionalLong.empty(), ServiceNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "99999999999999999"), 42));
    }
}
