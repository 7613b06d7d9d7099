package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Volume;

/** How a bolus ends, by hand: what went out, and whether it may say "completed" (hazard U12). */
class RunningBolusTest {

    private static final long S = 1_000_000_000L;
    /** 600 microsteps over ten minutes: one a second, so every figure below is a count of seconds. */
    private static final RunningBolus TEN_MINUTES = new RunningBolus(BolusKind.CLINICIAN, "bolus 50mcg over 10m", 0, 600 * S, 600, 0,
            false, Volume.ZERO);

    @Test
    void aBolusThatRanItsCourseUntouchedIsCompleted() {
        assertEquals(new RunningBolus.Ending(600, "completed"), TEN_MINUTES.end(600 * S, true, 0));
    }

    @Test
    void aBolusAnOcclusionCutIntoIsIncompleteNeverCompleted() {
        // Halted for two minutes in the middle: 120 microsteps dropped, not caught up.
        assertEquals(new RunningBolus.Ending(480, "incomplete"), TEN_MINUTES.lost(120).end(600 * S, true, 0));
    }

    @Test
    void aHaltStillInForceAsItEndsCountsAgainstItToo() {
        // 30 lost earlier, and 90 held back by a halt that has not cleared when its time is up.
        assertEquals(new RunningBolus.Ending(480, "incomplete"), TEN_MINUTES.lost(30).end(600 * S, true, 90));
    }

    @Test
    void stepsAheadOfThePlanNeverAddToWhatItSaysWentOut() {
        assertEquals(new RunningBolus.Ending(600, "completed"), TEN_MINUTES.lost(-7).end(600 * S, true, -5));
    }

    @Test
    void aStoppedBolusSaysStoppedWithItsShareByThen() {
        assertEquals(new RunningBolus.Ending(240, "stopped"), TEN_MINUTES.end(240 * S, false, 0));
        assertEquals(new RunningBolus.Ending(0, "stopped"), TEN_MINUTES.lost(1000).end(300 * S, false, 0), "never below nothing");
    }

    @Test
    void itsShareOfThePlanIsRoundedDown() {
        RunningBolus seven = new RunningBolus(BolusKind.PERIODIC, "periodic bolus", 10 * S, 13 * S, 7, 0, false, Volume.ZERO);
        assertEquals(0, seven.plannedBy(5 * S), "nothing before it starts");
        assertEquals(2, seven.plannedBy(11 * S), "7 × 1/3 = 2.33");
        assertEquals(4, seven.plannedBy(12 * S), "7 × 2/3 = 4.67");
        assertEquals(7, seven.plannedBy(60 * S), "all of it after its end");
    }

    @Test
    void aConnectedPrimingSaysWhatWentBeyondTheDeadVolume() {
        // 0.2 mL in 2 000 microsteps of 0.1 uL, into a catheter with 0.15 mL left to fill: 0.05 mL reached the patient.
        RunningBolus priming = new RunningBolus(BolusKind.PRIMING, "priming 0.2mL", 0, 400 * S, 2_000, 0, false, Volume.parse("0.15mL"));
        Map<String, Object> details = priming.details(priming.end(400 * S, true, 0), Volume.parse("0.1uL"));
        assertEquals("priming", details.get("kind"));
        assertEquals(2_000L, details.get("deliveredMicrosteps"));
        assertEquals("0.2mL", details.get("volume"));
        assertEquals("0.05mL", details.get("beyondDeadVolume"));
        RunningBolus off = new RunningBolus(BolusKind.PRIMING, "priming 0.2mL", 0, 400 * S, 2_000, 0, true, Volume.parse("0.15mL"));
        assertFalse(off.details(off.end(400 * S, true, 0), Volume.parse("0.1uL")).containsKey("beyondDeadVolume"),
                "disconnected: nothing reached a patient");
    }
}
