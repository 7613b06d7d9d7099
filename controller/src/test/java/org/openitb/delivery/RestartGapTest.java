package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.clock.WallClockState;

/** When a restart's gap can be believed, and what it is at least when it cannot. */
class RestartGapTest {

    private static final Instant HEARTBEAT = Instant.parse("2026-01-05T12:00:00Z");

    private static WallClockState clock(Optional<Boolean> synchronised, long upSeconds) {
        return new WallClockState(synchronised, Optional.of(Duration.ofSeconds(upSeconds)));
    }

    @Test
    void aSynchronisedClockIsBelieved() {
        RestartGap gap = RestartGap.of(HEARTBEAT, HEARTBEAT.plusSeconds(3_600), clock(Optional.of(true), 40));
        assertTrue(gap.known());
        assertEquals(Duration.ofHours(1), gap.atLeast());
    }

    @Test
    void aClockBehindTheLastHeartbeatIsNotWhateverElseIsKnown() {
        RestartGap gap = RestartGap.of(HEARTBEAT, HEARTBEAT.minusSeconds(3_600), clock(Optional.empty(), 40));
        assertFalse(gap.known());
        assertEquals(Duration.ofSeconds(40), gap.atLeast(), "the machine has been up 40 s: the pump was gone at least that long");
    }

    @Test
    void anUnsynchronisedClockIsNotBelievedAcrossABootButIsWithinOne() {
        // Booted 40 s ago, the heartbeat 2 h before that: the gap spans the boot, and the clock was set by nobody.
        assertFalse(RestartGap.of(HEARTBEAT, HEARTBEAT.plusSeconds(7_200), clock(Optional.of(false), 40)).known());
        // Up for a day, the heartbeat a minute ago: the process restarted; an unset clock still counts seconds right.
        RestartGap sameBoot = RestartGap.of(HEARTBEAT, HEARTBEAT.plusSeconds(60), clock(Optional.of(false), 86_400));
        assertTrue(sameBoot.known());
        assertEquals(Duration.ofMinutes(1), sameBoot.atLeast());
    }

    @Test
    void nothingKnownOfTheClockTakesItAsItIs() {
        RestartGap gap = RestartGap.of(HEARTBEAT, HEARTBEAT.plusSeconds(600), WallClockState.UNKNOWN);
        assertTrue(gap.known());
        assertEquals(HEARTBEAT, gap.effectiveHeartbeat(HEARTBEAT.plusSeconds(600)));
    }
}
