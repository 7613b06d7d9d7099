package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A restart after a power cut on a Pi that booted with a stale clock: the gap is told as "at least
 * the 70 s since boot", and told again once the clock can be believed. Figures by hand.
 */
class PendingGapTest {

    private static final Instant HEARTBEAT = Instant.parse("2026-12-03T12:00:00Z");
    private static final long S = 1_000_000_000L;
    /** The restart at 100 s of monotonic time, 70 s after boot: all the gap is known to be. */
    private static final PendingGap PENDING = new PendingGap(new RestartGap(HEARTBEAT, Duration.ZERO, false, Duration.ofSeconds(70)),
            Optional.of(HEARTBEAT), Optional.empty(), 100 * S);

    @Test
    void aSynchronisedClockTellsTheWholeGap() {
        // 60 s after the restart NTP has set the clock to 13:05:00: the restart was at 13:04:00, 64 min after the heartbeat.
        PendingGap.Corrected c = PENDING.correct(Instant.parse("2026-12-03T13:05:00Z"), 160 * S, Optional.of(true)).orElseThrow();
        assertEquals(Instant.parse("2026-12-03T13:04:00Z"), c.restartAt());
        assertEquals(Duration.ofMinutes(64), c.gap());
        assertTrue(c.overruled().isEmpty());
        assertEquals(Optional.of(HEARTBEAT), c.dueFrom());
    }

    @Test
    void aClockTheSystemCallsUnsynchronisedIsNotBelievedWhateverItReads() {
        assertTrue(PENDING.correct(Instant.parse("2026-12-03T13:05:00Z"), 160 * S, Optional.of(false)).isEmpty());
    }

    @Test
    void whereSynchronisationCannotBeAskedAClockBehindTheHeartbeatIsNotBelieved() {
        // Booted an hour behind: it puts the restart at 11:04, before the last heartbeat.
        assertTrue(PENDING.correct(Instant.parse("2026-12-03T11:05:00Z"), 160 * S, Optional.empty()).isEmpty());
        // Set since: it puts the restart at 12:30, after the heartbeat, and is believed.
        assertEquals(Duration.ofMinutes(30), PENDING.correct(Instant.parse("2026-12-03T12:31:00Z"), 160 * S, Optional.empty()).orElseThrow().gap());
    }

    @Test
    void aClockPuttingTheRestartSoonerThanTheMachineHadBeenUpKeepsTheBound() {
        // The clock says the restart came 30 s after the heartbeat; the machine had been up 70 s by then.
        PendingGap.Corrected c = PENDING.correct(Instant.parse("2026-12-03T12:01:30Z"), 160 * S, Optional.of(true)).orElseThrow();
        assertEquals(Duration.ofSeconds(70), c.gap());
        assertEquals(Optional.of(Duration.ofSeconds(30)), c.overruled());
        assertEquals(Instant.parse("2026-12-03T12:01:10Z"), c.restartAt());
    }

    @Test
    void deliveryDueFromAfterTheRestartIsDueFromTheRestart() {
        // A timed suspension restored as ending at 14:00, but the restart was at 13:04: nothing was due in the gap.
        PendingGap suspended = new PendingGap(PENDING.gap(), Optional.of(Instant.parse("2026-12-03T14:00:00Z")), Optional.empty(), 100 * S);
        PendingGap.Corrected c = suspended.correct(Instant.parse("2026-12-03T13:05:00Z"), 160 * S, Optional.of(true)).orElseThrow();
        assertEquals(Optional.of(c.restartAt()), c.dueFrom());
    }
}
