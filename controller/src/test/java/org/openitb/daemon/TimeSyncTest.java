package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SystemClock;

/** The kernel answers whether its wall clock is synchronised, as adjtimex(2) reads it; and the system clock passes that on. */
class TimeSyncTest {

    @Test
    void theKernelSaysWhetherItsClockIsSynchronised() {
        Optional<Boolean> answer = TimeSync.probe().get();
        assertTrue(answer.isPresent(), "adjtimex answers on Linux");
        var state = new SystemClock(ZoneOffset.UTC, () -> answer).wallClockState();
        assertEquals(answer, state.synchronised());
        assertTrue(state.sinceBoot().orElseThrow().toSeconds() > 0, "/proc/uptime read");
    }
}
