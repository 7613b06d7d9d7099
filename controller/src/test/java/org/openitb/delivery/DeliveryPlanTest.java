package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

class DeliveryPlanTest {

    private static final long S = 1_000_000_000L;
    private static final long HOUR = 3_600 * S;
    private static final long DAY = 24 * HOUR;
    private static final Volume V = Volume.parse("71.853nL");
    private static final Concentration C500 = Concentration.parse("500mcg/mL");

    private static DeliveryPlan plan(String rate) {
        return DeliveryPlan.start(0, 0, DailyRate.parse(rate), C500, V);
    }

    @Test
    void fourHundredMicrogramsADayIsAboutOneMicrostepEveryEightSeconds() {
        DeliveryPlan p = plan("400mcg/day");
        // 400 mcg/day at 500 mcg/mL = 0.8 mL/day = 800,000,000,000 pL/day; / 71,853 pL = 11,133.84 microsteps/day
        assertEquals(11_133, p.target(DAY));
        long first = p.timeOfMicrostep(1);
        assertEquals(7_760_124_000L, first, "86400 * 500000 ng/mL * 71853 pL / 400000 ng/day, in ns");
        assertEquals(0, p.target(first - 1));
        assertEquals(1, p.target(first));
        assertEquals(1, p.microstepsPerSecondAt(0));
    }

    @Test
    void thirtyDaysAreExactlyThirtyTimesOneDay() {
        DeliveryPlan p = plan("400mcg/day");
        ExactIdeal ideal = new ExactIdeal(0, 0, 400_000, 500_000, V.picolitres());
        assertEquals(ideal.floorAt(30 * DAY), p.target(30 * DAY));
        assertEquals(334_015, p.target(30 * DAY)); // 30 * 11133.84... = 334015.2
    }

    @Test
    void aBolusAddsItsDoseSpreadOverItsDurationThenTheBasalGoesOn() {
        DeliveryPlan p = plan("400mcg/day").withBolus(HOUR, Dose.parse("50mcg"), 10 * 60 * S);
        ExactIdeal ideal = new ExactIdeal(0, 0, 400_000, 500_000, V.picolitres());
        ideal.bolus(HOUR, 50_000, 10 * 60 * S);
        for (long t = HOUR; t <= 3 * HOUR; t += 7 * S) {
            assertEquals(ideal.floorAt(t), p.target(t), "at " + t);
        }
        // 50 mcg at 500 mcg/mL is 0.1 mL, 1391.73 microsteps on top of the basal.
        assertEquals(plan("400mcg/day").target(2 * HOUR) + 1_391, p.target(2 * HOUR), 1);
        assertTrue(p.bolusRunningAt(HOUR + 60 * S));
        assertTrue(!p.bolusRunningAt(HOUR + 600 * S));
    }

    @Test
    void timeOfMicrostepIsTheExactInverseOfTarget() {
        DeliveryPlan p = plan("400mcg/day").withBolus(HOUR, Dose.parse("50mcg"), 7 * 60 * S + 13);
        for (long k = 1; k < 3_000; k += 37) {
            long t = p.timeOfMicrostep(k);
            assertTrue(p.target(t) >= k, "reached at " + t);
            assertTrue(t == p.startNanos() || p.target(t - 1) < k, "not before " + t);
        }
    }

    @Test
    void rebasingDropsTheBacklogInsteadOfCatchingUp() {
        DeliveryPlan p = plan("400mcg/day");
        long halted = 10 * HOUR;
        long delivered = p.target(halted);
        // An occlusion: nothing delivered for two hours, then rebased to what was delivered.
        DeliveryPlan resumed = p.rebased(12 * HOUR, delivered);
        assertEquals(delivered, resumed.target(12 * HOUR));
        assertEquals(delivered + plan("400mcg/day").target(HOUR), resumed.target(13 * HOUR), 1);
    }

    @Test
    void aConcentrationChangeKeepsTheDrugRateAndChangesTheVolumeRate() {
        DeliveryPlan p = plan("400mcg/day").withConcentration(DAY, Concentration.parse("2000mcg/mL"));
        long afterOneDay = p.target(DAY);
        assertEquals(11_133, afterOneDay);
        // At four times the concentration, a quarter of the microsteps for the same drug.
        assertEquals(afterOneDay + 2_783, p.target(2 * DAY), 1);
        ExactIdeal ideal = new ExactIdeal(0, 0, 400_000, 500_000, V.picolitres());
        ideal.concentration(DAY, 2_000_000);
        assertEquals(ideal.floorAt(2 * DAY), p.target(2 * DAY));
    }

    @Test
    void aVolumeBolusPrimesByVolume() {
        DeliveryPlan p = plan("400mcg/day").withVolumeBolus(0, Volume.parse("0.2mL"), 12 * S);
        // 0.2 mL / 71.853 nL = 2783.46 microsteps, plus 12 s of basal (1.55)
        assertEquals(2_785, p.target(12 * S));
        ExactIdeal ideal = new ExactIdeal(0, 0, 400_000, 500_000, V.picolitres());
        ideal.volumeBolus(0, Volume.parse("0.2mL").picolitres(), 12 * S);
        for (long t = 0; t <= 60 * S; t += S / 7) {
            assertEquals(ideal.floorAt(t), p.target(t), "at " + t);
        }
    }

    @Test
    void nothingProgrammedMeansNeverAnotherMicrostep() {
        DeliveryPlan p = plan("0mcg/day");
        assertEquals(Long.MAX_VALUE, p.timeOfMicrostep(1));
        assertEquals(0, p.target(365 * DAY));
    }

    @Test
    void misuseIsRefused() {
        DeliveryPlan p = plan("400mcg/day").withBolus(0, Dose.parse("10mcg"), HOUR);
        assertThrows(IllegalStateException.class, () -> p.withBolus(60 * S, Dose.parse("10mcg"), HOUR));
        assertThrows(IllegalStateException.class, () -> p.withConcentration(60 * S, Concentration.parse("50mcg/mL")));
        assertThrows(IllegalArgumentException.class, () -> p.target(-1));
        assertThrows(IllegalArgumentException.class, () -> p.withBolus(0, Dose.parse("10mcg"), 0));
        DeliveryPlan after = p.withBolus(HOUR, Dose.parse("10mcg"), Duration.ofMinutes(5).toNanos());
        assertTrue(after.bolusRunningAt(HOUR));
    }
}
