package org.openitb.reservoir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Volume;

/** The volume model's outlook: time to empty, low by volume or by days, refill due, and the level switch cross-check. */
class ReservoirOutlookTest {

    private static final Concentration C500 = Concentration.parse("500mcg/mL");
    private static final DailyRate R400 = DailyRate.parse("400mcg/day"); // 0.8 mL/day of 500mcg/mL
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final ReservoirSettings SETTINGS = new ReservoirSettings(Volume.parse("2mL"), Duration.ofDays(7),
            Volume.parse("2mL"), Volume.parse("0.5mL"));

    @Test
    void twentyMillilitresAtZeroPointEightADayLastTwentyFiveDays() {
        assertEquals(Optional.of(Duration.ofDays(25)), ReservoirOutlook.untilEmpty(Volume.parse("20mL"), R400, C500));
        assertEquals(Optional.empty(), ReservoirOutlook.untilEmpty(Volume.parse("20mL"), DailyRate.ZERO, C500), "nothing delivered: never");
        assertEquals(Optional.of(Duration.ZERO), ReservoirOutlook.untilEmpty(Volume.ZERO, R400, C500));
    }

    @Test
    void lowByVolumeOrByDaysLeftWhicheverComesFirst() {
        assertEquals(Optional.empty(), ReservoirOutlook.low(Volume.parse("6mL"), R400, C500, SETTINGS), "7.5 days left");
        assertEquals(Optional.of("6.3 days of delivery left at 400mcg/day, fewer than 7d (reservoir.low-days)"),
                ReservoirOutlook.low(Volume.parse("5mL"), R400, C500, SETTINGS));
        assertEquals(Optional.of("reservoir 1.900mL is below 2mL (reservoir.low-volume)"),
                ReservoirOutlook.low(Volume.parse("1.9mL"), DailyRate.parse("50mcg/day"), C500, SETTINGS));
    }

    @Test
    void theRefillIsDueWhenTheReservoirBecomesLow() {
        // Low at max(2 mL, 7 days x 0.8 mL) = 5.6 mL: 14.4 mL above it at 0.8 mL/day is 18 days.
        assertEquals(Optional.of(NOW.plus(Duration.ofDays(18))), ReservoirOutlook.refillDue(NOW, Volume.parse("20mL"), R400, C500, SETTINGS));
        assertEquals(Optional.of(NOW), ReservoirOutlook.refillDue(NOW, Volume.parse("5mL"), R400, C500, SETTINGS), "already low: due now");
        assertEquals(Optional.empty(), ReservoirOutlook.refillDue(NOW, Volume.parse("5mL"), DailyRate.ZERO, C500, SETTINGS));
    }

    @Test
    void theLevelSwitchAndTheModelMustAgreeWithinTheMargin() {
        assertEquals(Optional.empty(), ReservoirOutlook.discrepancy(false, Volume.parse("10mL"), SETTINGS));
        assertEquals(Optional.empty(), ReservoirOutlook.discrepancy(true, Volume.parse("1mL"), SETTINGS));
        assertEquals(Optional.empty(), ReservoirOutlook.discrepancy(true, Volume.parse("2.5mL"), SETTINGS), "on the margin");
        assertEquals(Optional.empty(), ReservoirOutlook.discrepancy(false, Volume.parse("1.5mL"), SETTINGS), "on the margin");
        assertEquals(Optional.of("the level switch reads low but the volume model holds 2.600mL (switch at 2mL):"
                + " a leak, or less was filled than recorded"), ReservoirOutlook.discrepancy(true, Volume.parse("2.6mL"), SETTINGS));
        assertTrue(ReservoirOutlook.discrepancy(true, Volume.parse("2.500001mL"), SETTINGS).isPresent(), "a picolitre over is over");
        assertEquals(Optional.of("the level switch reads ok but the volume model holds 1.499mL (switch at 2mL):"
                + " more was filled than recorded, or the switch fails"), ReservoirOutlook.discrepancy(false, Volume.parse("1.499mL"), SETTINGS));
    }
}
