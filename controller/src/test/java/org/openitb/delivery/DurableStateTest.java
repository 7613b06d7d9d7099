package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What a restart takes from the kept state about the catheter's fill, figured by hand in picolitres. */
class DurableStateTest {

    private static final long ML = 1_000_000_000L;

    private static DurableState.Patient filled(OptionalLong filledPl, OptionalLong deadVolumePl) {
        return new DurableState.Patient(BigInteger.ZERO, List.of(), filledPl, deadVolumePl);
    }

    @Test
    void aFullCatheterStaysFullUnderALargerCatheterVolumeConfiguredSince() {
        // Full under 0.2 mL, restarted with 5 mL configured: priming 4.8 mL connected would put it into the patient.
        DurableState.Patient full = filled(OptionalLong.of(ML / 5), OptionalLong.of(ML / 5));
        assertEquals(5 * ML, full.deadVolumeFilledUnder(5 * ML));
        assertTrue(full.deadVolumeChangedFrom(5 * ML));
    }

    @Test
    void whatWasLeftToFillStaysLeftAndNoMore() {
        // 0.05 mL of 0.2 mL filled: 0.15 mL left. Under 5 mL, 4.85 mL filled; under 0.1 mL, none.
        DurableState.Patient part = filled(OptionalLong.of(ML / 20), OptionalLong.of(ML / 5));
        assertEquals(4_850_000_000L, part.deadVolumeFilledUnder(5 * ML));
        assertEquals(0, part.deadVolumeFilledUnder(ML / 10));
        assertEquals(ML / 20, part.deadVolumeFilledUnder(ML / 5), "unchanged: as recorded");
        assertFalse(part.deadVolumeChangedFrom(ML / 5));
    }

    @Test
    void aStateFromBeforeTheFillWasKeptIsTakenAsFull() {
        assertEquals(Long.MAX_VALUE, filled(OptionalLong.empty(), OptionalLong.empty()).deadVolumeFilledUnder(ML / 5));
        DurableState.Patient unknownVolume = filled(OptionalLong.of(ML / 20), OptionalLong.empty());
        assertEquals(ML / 20, unknownVolume.deadVolumeFilledUnder(5 * ML), "the fill, where what it was counted against is not known");
        assertFalse(unknownVolume.deadVolumeChangedFrom(5 * ML));
    }
}
