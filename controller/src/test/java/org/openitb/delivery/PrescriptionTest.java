package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.PeriodicBolus;

/** What the withdrawal-risk estimate holds delivery against, integrated by hand. */
class PrescriptionTest {

    private static final long H = Duration.ofHours(1).toNanos();
    private static final long MIN = Duration.ofMinutes(1).toNanos();
    private static final DailyRate R400 = DailyRate.ofMicrogramsPerDay(400);
    /** 20 mcg over 10 min every 6 h: due at 6 h, 12 h, ... after the anchor, never at it. */
    private static final PeriodicBolus EVERY_6H = new PeriodicBolus(Dose.ofMicrograms(20), Duration.ofHours(6), Duration.ofMinutes(10));

    @Test
    void theBasalAccruesProRata() {
        // 400 mcg/day for 6 h is 100 mcg.
        assertEquals(100_000.0, new Prescription(R400, Optional.empty(), 0).accrue(0, 0, 6 * H));
        assertEquals(7.0, new Prescription(R400, Optional.empty(), 0).accrue(7, 5 * H, 5 * H), "no time, nothing added");
    }

    @Test
    void aPeriodicBolusCountsByTheShareOfItsWindowInTheInterval() {
        Prescription p = new Prescription(DailyRate.ZERO, Optional.of(EVERY_6H), 0);
        assertEquals(0.0, p.accrue(0, 0, 6 * H), "the first is due one interval after the anchor, not at it");
        assertEquals(10_000.0, p.accrue(0, 6 * H + 5 * MIN, 6 * H + 15 * MIN), "5 of its 10 minutes: half of 20 mcg");
        assertEquals(40_000.0, p.accrue(0, 5 * H, 13 * H), "the ones at 6 h and 12 h, whole");
        assertEquals(4_000.0, p.accrue(0, 12 * H + 8 * MIN, 13 * H), "the last 2 of the 12 h one's 10 minutes");
    }

    @Test
    void passByPassTheSumIsTheWholeIntervalsFigure() {
        // A day in 7-minute passes (7 divides neither 6 h nor the 10-minute windows): 400 mcg of basal and the
        // boluses at 6, 12 and 18 h, 20 mcg each (the one at 24 h begins as the day ends), within doubles' rounding.
        Prescription p = new Prescription(R400, Optional.of(EVERY_6H), 0);
        double ng = 0;
        long t = 0;
        while (t < 24 * H) {
            long next = Math.min(24 * H, t + 7 * MIN);
            ng = p.accrue(ng, t, next);
            t = next;
        }
        assertEquals(460_000.0, ng, 1e-6);
    }

    @Test
    void theDailyRateIsTheBasalAndThePeriodicBolusesDailyDose() {
        assertEquals(DailyRate.ofMicrogramsPerDay(480), new Prescription(R400, Optional.of(EVERY_6H), 0).perDay(), "400 + 4 x 20");
        assertEquals(R400, new Prescription(R400, Optional.empty(), 0).perDay());
    }
}
