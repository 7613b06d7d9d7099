package org.openitb.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.openitb.delivery.DeliveryPlan;

class ScheduledSteppingTest {

    @Test
    void aBenchPlanRunsAtExactlyItsRateWithNoDriftOverADay() {
        for (long hz : new long[] {1, 100, 500, 1000}) {
            DeliveryPlan plan = ScheduledStepping.plan(hz, 7_000);
            assertEquals(hz, plan.target(7_000 + 1_000_000_000L));
            assertEquals(hz * 86_400, plan.target(7_000 + 86_400_000_000_000L));
            assertEquals(7_000 + 1_000_000_000L / hz, plan.timeOfMicrostep(1));
        }
    }

    @Test
    void aRateOutsideItsBoundsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScheduledStepping.plan(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ScheduledStepping.plan(100_001, 0));
    }
}
