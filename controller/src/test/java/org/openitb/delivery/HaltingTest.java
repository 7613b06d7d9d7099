package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.Halting.Change;

/** The halt decisions as plain steps: what a pass saw in, what the loop must do out. */
class HaltingTest {

    private static final long S = 1_000_000_000L;
    private static final long MIN = Duration.ofMinutes(1).toNanos();
    private static final Set<Interlocks.Reason> NONE = Set.of();
    private static final Optional<String> NO_FAULT = Optional.empty();
    private static final Optional<String> STALLED = Optional.of("driver nFAULT low");

    @Test
    void aQuietPassChangesNothingAndAllocatesNothing() {
        Halting.Step step = Halting.RUNNING.step(NONE, false, NO_FAULT, false, 5 * S);
        assertEquals(Change.NONE, step.change());
        assertSame(Halting.RUNNING, step.next());
        assertSame(step, Halting.RUNNING.step(NONE, false, NO_FAULT, false, 6 * S), "the same step object every quiet pass");
    }

    @Test
    void anOcclusionHaltsAndItsEndResumesTellingWhatItCameAfter() {
        Halting.Step halted = Halting.RUNNING.step(EnumSet.of(Interlocks.Reason.OCCLUSION), false, NO_FAULT, false, S);
        assertEquals(Change.HALTED, halted.change());
        assertEquals(Optional.of("occlusion"), halted.next().reason());
        Halting.Step still = halted.next().step(EnumSet.of(Interlocks.Reason.OCCLUSION), false, NO_FAULT, false, 2 * S);
        assertEquals(Change.NONE, still.change());
        Halting.Step both = still.next().step(EnumSet.of(Interlocks.Reason.OCCLUSION), true, NO_FAULT, false, 3 * S);
        assertEquals(Change.REASON_CHANGED, both.change());
        assertEquals(Optional.of("occlusion, reservoir empty"), both.next().reason());
        Halting.Step resumed = both.next().step(NONE, false, NO_FAULT, false, 4 * S);
        assertEquals(Change.RESUMED, resumed.change());
        assertEquals(Optional.of("occlusion, reservoir empty"), resumed.before());
        assertFalse(resumed.next().halted());
    }

    @Test
    void aStepperFaultIsBookedOnceAndRetriedASecondLater() {
        Halting.Step faulted = Halting.RUNNING.step(NONE, false, STALLED, false, 10 * S);
        assertEquals(Change.HALTED, faulted.change());
        assertEquals(Optional.of("motor fault: driver nFAULT low"), faulted.next().reason());
        assertEquals(new Halting.Fault(false, "driver nFAULT low", 11 * S), faulted.fault().orElseThrow());
        Halting.Step again = faulted.next().step(NONE, false, STALLED, false, 10 * S + S / 2);
        assertTrue(again.fault().isEmpty(), "a fault awaiting its retry is not booked twice");
        assertFalse(again.next().retryDue(11 * S - 1));
        assertTrue(again.next().retryDue(11 * S));
        Halting rearmed = again.next().retried();
        assertEquals(Long.MAX_VALUE, rearmed.faultRetryNanos());
        assertEquals(Change.RESUMED, rearmed.step(NONE, false, NO_FAULT, false, 11 * S).change());
    }

    @Test
    void aWatchdogTripIsTheControllersFaultNotTheMotors() {
        Halting.Step step = Halting.RUNNING.step(NONE, false, Optional.of("watchdog: no report for 2 s"), true, S);
        assertEquals(Optional.of("controller fault: watchdog: no report for 2 s"), step.next().reason());
        assertTrue(step.fault().orElseThrow().controller());
    }

    @Test
    void aFourthFaultWithinTenMinutesIsABrokenPumpNotAHiccup() {
        // Faults at 0, 3, 6 min are retried; a fourth at 9 min (four within ten) stops the controller.
        Halting h = faultAndRetry(Halting.RUNNING, 0);
        h = faultAndRetry(h, 3 * MIN);
        h = faultAndRetry(h, 6 * MIN);
        Halting fourth = h;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fourth.step(NONE, false, STALLED, false, 9 * MIN));
        assertEquals("motor faults keep recurring (4 in 10 min), last: driver nFAULT low", e.getMessage());
        // At 10 min 1 ns the first has left the window: three in ten minutes, retried.
        assertTrue(h.step(NONE, false, STALLED, false, 10 * MIN + 1).fault().isPresent());
    }

    /** A fault at {@code at}, its retry a second later, and the stepper working again. */
    private static Halting faultAndRetry(Halting h, long at) {
        Halting.Step faulted = h.step(NONE, false, STALLED, false, at);
        assertTrue(faulted.fault().isPresent());
        Halting retried = faulted.next().retried();
        return retried.step(NONE, false, NO_FAULT, false, at + S).next();
    }
}
