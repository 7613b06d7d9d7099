package org.openitb.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standard's figures from a small series of readings, every one worked by hand. */
class GravimetryTest {

    private static final double TOLERANCE = 1e-9;
    private static final long MINUTE = 60_000_000_000L;

    /**
     * 60 uL/h (1 uL a minute) of a fluid of 1 g/mL read every minute on a 0.1 mg balance: the
     * minutes held 1.0, 1.1, 0.9, 0.8, 1.2 and 1.0 uL, errors of 0, +10, -10, -20, +20 and 0 %.
     */
    private static final double[] GRAMS = {0.0000, 0.0010, 0.0021, 0.0030, 0.0038, 0.0050, 0.0060};

    private static TestSetup setup(double evaporationMgPerHour) {
        return new TestSetup(60, 1.0, Duration.ofMinutes(1), evaporationMgPerHour, 0.0001, Duration.ZERO, Duration.ofMinutes(6),
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)));
    }

    private static List<Reading> readings(double[] grams, int... missing) {
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < grams.length; i++) {
            final int minute = i;
            if (Arrays.stream(missing).noneMatch(m -> m == minute)) {
                out.add(new Reading(i * MINUTE, grams[i]));
            }
        }
        return out;
    }

    @Test
    void theTrumpetCurveIsTheLargestAndSmallestErrorOverEachWindow() {
        Analysis a = Gravimetry.analyse(readings(GRAMS), setup(0));
        Analysis.Window one = a.trumpet().get(0);
        assertEquals(20, one.max().orElseThrow().percent(), TOLERANCE, "minute 4 to 5: 1.2 uL for 1.0");
        assertEquals(4 * MINUTE, one.max().orElseThrow().fromNanos());
        assertEquals(-20, one.min().orElseThrow().percent(), TOLERANCE, "minute 3 to 4: 0.8 uL");
        assertEquals(6, one.windows());
        assertEquals(6, one.expected());
        assertEquals(10, one.uncertaintyPercent(), TOLERANCE, "0.1 mg is 0.1 uL of the 1 uL a minute holds");
        // Two minutes: 2.1, 2.0, 1.7, 2.0 and 2.2 uL for 2.0: +5, 0, -15, 0, +10 %.
        Analysis.Window two = a.trumpet().get(1);
        assertEquals(10, two.max().orElseThrow().percent(), TOLERANCE);
        assertEquals(-15, two.min().orElseThrow().percent(), TOLERANCE);
        assertEquals(5, two.windows());
        assertEquals(5, two.uncertaintyPercent(), TOLERANCE);
    }

    @Test
    void theOverallErrorIsTheVolumeOverThePeriodAgainstTheRate() {
        Analysis a = Gravimetry.analyse(readings(GRAMS), setup(0));
        assertEquals(0, a.overall().orElseThrow().percent(), TOLERANCE, "6.0 uL in 6 minutes is 60 uL/h");
        assertEquals(100.0 * 0.1 / 6, a.overall().orElseThrow().uncertaintyPercent(), TOLERANCE);
        assertEquals(66, a.flow().get(1).value(), TOLERANCE, "the start-up curve's second minute: 1.1 uL in a minute");
        assertEquals(2.1, a.delivered().get(2).value(), TOLERANCE);
    }

    @Test
    void aMissingReadingDropsOnlyTheWindowsThatEndOnIt() {
        Analysis a = Gravimetry.analyse(readings(GRAMS, 3), setup(0));
        Analysis.Window one = a.trumpet().get(0);
        // Left: 0-1 (0 %), 1-2 (+10 %), 4-5 (+20 %), 5-6 (0 %).
        assertEquals(4, one.windows());
        assertEquals(6, one.expected(), "two windows of the six could not be measured");
        assertEquals(20, one.max().orElseThrow().percent(), TOLERANCE);
        assertEquals(0, one.min().orElseThrow().percent(), TOLERANCE);
        Analysis.Window two = a.trumpet().get(1);
        // Left: 0-2 (+5 %), 2-4 (-15 %), 4-6 (+10 %).
        assertEquals(3, two.windows());
        assertEquals(-15, two.min().orElseThrow().percent(), TOLERANCE);
    }

    @Test
    void evaporationIsAddedBack() {
        // 6 mg/h is 0.1 mg a minute: a vessel that loses it reads that much less at each minute.
        double[] evaporating = new double[GRAMS.length];
        for (int i = 0; i < GRAMS.length; i++) {
            evaporating[i] = GRAMS[i] - 0.0001 * i;
        }
        assertEquals(-10, Gravimetry.analyse(readings(evaporating), setup(0)).overall().orElseThrow().percent(), TOLERANCE,
                "uncorrected: 5.4 uL for 6");
        assertEquals(0, Gravimetry.analyse(readings(evaporating), setup(6)).overall().orElseThrow().percent(), TOLERANCE);
    }

    @Test
    void aSetupOutsideItsBoundsIsRefusedWithWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TestSetup(60, 1.0, Duration.ofSeconds(30), 0,
                0.0001, Duration.ZERO, Duration.ofHours(1), List.of(Duration.ofSeconds(45))));
        assertEquals("an observation window must be a whole number of delta t (30s): 45s", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gravimetry.analyse(List.of(new Reading(0, 1)), setup(0)));
    }
}
