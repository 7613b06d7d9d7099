package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/** The catheter's bridge after a change of concentration, with its length worked out by hand. */
class BridgeTest {

    private static final Concentration TO = Concentration.parse("1000mcg/mL");
    private static final Volume PER_MICROSTEP = Volume.parse("0.1uL");

    @Test
    void aCatheterOfTwoTenthsOfAMillilitreTakesTwoThousandMicrostepsFromWhereDeliveryIs() {
        Bridge bridge = Bridge.across(Volume.parse("0.2mL"), PER_MICROSTEP, 5_000, TO).orElseThrow();
        assertEquals(7_000, bridge.untilMicrostep());
        assertEquals(2_000, bridge.left(5_000));
        assertFalse(bridge.through(6_999));
        assertTrue(bridge.through(7_000));
        assertEquals(0, bridge.left(7_500), "never negative once through");
    }

    @Test
    void aPartMicrostepOfOldSolutionStillCountsAsOld() {
        // 0.25 uL at 0.1 uL a microstep: 2.5, rounded up to 3.
        assertEquals(3, Bridge.across(Volume.parse("0.25uL"), PER_MICROSTEP, 0, TO).orElseThrow().untilMicrostep());
    }

    @Test
    void aCatheterOfNoVolumeNeedsNoBridge() {
        assertEquals(Optional.empty(), Bridge.across(Volume.ZERO, PER_MICROSTEP, 5_000, TO));
    }

    @Test
    void theStatusSaysWhatIsCountedAndWhatComesNext() {
        Bridge bridge = new Bridge(7_000, TO);
        assertEquals("bridging the catheter at 500mcg/mL: 1500 microsteps to go, then 1000mcg/mL",
                bridge.describe(Concentration.parse("500mcg/mL"), 5_500));
    }
}
