package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.WriteAheadHealth;

/** The write-ahead mark: it reserves ahead within its bound and never holds a step back for the disk. */
class WriteAheadMarkTest {

    /** A horizon far beyond any bound: a fast program. */
    private static final long FAR = Long.MAX_VALUE;
    private static final long BOUND = 64;
    private final AtomicInteger wakes = new AtomicInteger();
    private final WriteAheadMark mark = new WriteAheadMark(100, BOUND, wakes::incrementAndGet);

    @Test
    void theFirstStepAsksForAWholeBoundAheadAndGoesOutWithoutWaiting() {
        assertEquals(-1, mark.pending(), "nothing asked for yet");
        mark.beforeStep(101, FAR, 101); // the disk has not answered: it returns all the same
        assertEquals(100 + BOUND, mark.pending());
        assertEquals(1, wakes.get(), "the lane was woken");
        WriteAheadHealth h = mark.health();
        assertEquals(1, h.uncoveredMicrosteps(), "step 101 went out before the mark covered it");
        assertEquals(1, h.uncoveredSteps());
        mark.durable(mark.pending());
        assertEquals(BOUND - 1, mark.health().reservedAheadMicrosteps());
        assertEquals(0, mark.health().uncoveredMicrosteps());
    }

    @Test
    void stepsInsideTheReservationDoNotAskAndTheNextIsAskedForHalfWayThrough() {
        mark.durable(100 + BOUND);
        for (long k = 101; k <= 100 + BOUND / 2; k++) {
            mark.beforeStep(k, k - 1 + BOUND, k); // a horizon the bound just holds
        }
        assertEquals(-1, mark.pending(), "more than half the reservation is left: nothing asked for");
        assertEquals(0, wakes.get());
        long k = 100 + BOUND / 2 + 1;
        mark.beforeStep(k, k - 1 + BOUND, k);
        assertEquals(k - 1 + BOUND, mark.pending(), "half used: the next reservation is asked for while the steps go on");
        assertEquals(0, mark.health().uncoveredSteps());
    }

    @Test
    void aSlowDiskBeyondTheBoundAsksAgainSoonerNotFurther() {
        // A commit and a half reach 96 steps: more than the bound leaves, so every step asks (the lane
        // coalesces), and the mark is never more than the bound ahead.
        mark.durable(100 + BOUND);
        mark.beforeStep(101, 100 + 3 * BOUND, 100 + 3 * BOUND / 2);
        assertEquals(100 + BOUND, mark.pending() == -1 ? mark.durable() : mark.pending());
        mark.beforeStep(102, 101 + 3 * BOUND, 101 + 3 * BOUND / 2);
        assertEquals(101 + BOUND, mark.pending(), "asked again at once: never more than the bound ahead of the step");
    }

    @Test
    void withFastCommitsAFastPlanAsksAgainOnlyOnceHalfTheBoundIsUsed() {
        // 500 Hz and a 1 s floor: the horizon (500 steps) is beyond twice the bound, but commits take
        // milliseconds: half of what is reserved is cover enough, so it asks every 32 steps, not every step.
        mark.durable(100 + BOUND);
        for (long k = 101; k <= 100 + BOUND / 2; k++) {
            mark.beforeStep(k, k + 500, k + 4); // 5 ms commits: a commit and a half is 4 steps
        }
        assertEquals(-1, mark.pending(), "half the reservation left: nothing asked for");
        mark.beforeStep(100 + BOUND / 2 + 1, 100 + BOUND / 2 + 501, 100 + BOUND / 2 + 5);
        assertEquals(100 + BOUND / 2 + BOUND, mark.pending());
        assertEquals(1, wakes.get());
    }

    @Test
    void aSlowProgramReservesOnlyWhatItReachesByTheHorizon() {
        mark.durable(100);
        mark.beforeStep(101, 108, 101);
        assertEquals(108, mark.pending());
        mark.durable(108);
        for (long k = 102; k <= 104; k++) {
            mark.beforeStep(k, k + 7, k);
        }
        assertEquals(-1, mark.pending(), "4 of 8 left: nothing asked for yet");
        mark.beforeStep(105, 112, 105);
        assertEquals(112, mark.pending(), "fewer than half left: the next horizon is reserved");
    }

    @Test
    void aDiskSlowerThanTheBoundNeverHoldsAStepAndTheShortfallIsCounted() {
        mark.durable(150);
        for (long k = 101; k < 1_000; k++) {
            mark.beforeStep(k, FAR, k); // the disk never answers: every step still returns at once
        }
        WriteAheadHealth h = mark.health();
        assertEquals(999 - 150, h.uncoveredMicrosteps());
        assertEquals(999 - 150, h.uncoveredSteps());
        assertEquals(999 - (150 + BOUND), h.beyondBoundSteps(), "more than the bound beyond the mark: steps 215..999");
        assertEquals(999 - 150, mark.uncoveredPeak());
        assertEquals(998 + BOUND, mark.pending(), "never more than the bound beyond the step");
    }

    @Test
    void whatTheMarkCountsAheadOfTheStepsNeverExceedsTheBound() {
        SplittableRandom random = new SplittableRandom(20261202);
        long k = 100;
        for (int i = 0; i < 100_000; i++) {
            k++;
            mark.beforeStep(k, k + random.nextLong(1_000), k);
            if (random.nextInt(4) == 0 && mark.pending() >= 0) {
                mark.durable(mark.pending()); // the lane commits now and then
            }
            assertTrue(mark.durable() - k <= BOUND - 1, "mark " + mark.durable() + " at step " + k);
            assertTrue(mark.health().reservedAheadMicrosteps() < BOUND);
        }
    }

    @Test
    void theMarkNeverGoesBack() {
        mark.durable(500);
        mark.durable(300);
        assertEquals(500, mark.durable());
    }
}
