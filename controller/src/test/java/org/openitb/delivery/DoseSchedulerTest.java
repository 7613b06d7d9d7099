package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openitb.testing.LongAssertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openitb.drivers.stepper.MotorFaultException;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

class DoseSchedulerTest {

    private static final long S = 1_000_000_000L;
    private static final long HOUR = 3_600 * S;
    private static final long DAY = 24 * HOUR;
    private static final Volume V = Volume.parse("71.853nL");
    private static final Concentration C = Concentration.parse("500mcg/mL");

    @Test
    void aDayOfMaintenanceDosingLandsOnTheIdealToTheMicrostep() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            DeliveryPlan plan = DeliveryPlan.start(0, 0, DailyRate.parse("400mcg/day"), C, V);
            rig.scheduler.plan(plan);
            ExactIdeal ideal = new ExactIdeal(0, 0, 400_000, 500_000, V.picolitres());
            rig.runUntil(DAY, (t, delivered) -> {
                double behind = ideal.minus(t, delivered);
                assertTrue(behind >= 0 && behind < 1, "delivered " + delivered + ", ideal - delivered = " + behind);
            });
            assertEquals(11_133, rig.scheduler.delivered());
            assertEquals(11_133, rig.sim.position(), "every step really reached the driver pins");
            assertEquals(0, rig.scheduler.lateness().summary().maxUs(), "ticked exactly on time: no lateness");
            assertTrue(rig.ticks < 11_133 + DAY / (250 * 1_000_000L) + 10, "it sleeps between steps: " + rig.ticks + " ticks");
        }
    }

    @Test
    void aLateLoopCatchesUpAtTheMaximumRateAndDropsNothing() {
        try (SchedulerRig rig = new SchedulerRig(100)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.parse("400mcg/day"), C, V)
                    .withBolus(0, Dose.parse("100mcg"), 600 * S));
            rig.runUntil(60 * S);
            long before = rig.scheduler.delivered();
            // The loop stalls for half a second (a long GC pause), inside the watchdog's limit, then ticks again.
            rig.clock.advanceNanos(S / 2);
            rig.nextTick = rig.clock.nanos();
            long due = rig.scheduler.plan().target(rig.clock.nanos());
            assertTrue(due - before >= 2, "a backlog built up");
            rig.runUntil(rig.clock.nanos() + S);
            assertEquals(rig.scheduler.plan().target(rig.clock.nanos()), rig.scheduler.delivered(), 1, "caught up");
            var pulses = rig.sim.recentPulses();
            for (int i = 1; i < pulses.size(); i++) {
                long gap = pulses.get(i).riseNanos() - pulses.get(i - 1).riseNanos();
                assertTrue(gap >= 10_000_000L, "never faster than 100 Hz: " + gap + " ns");
            }
            assertTrue(rig.scheduler.lateness().summary().maxUs() > 250_000, "the stall shows as lateness");
            assertFalse(rig.watchdog.tripped());
        }
    }

    /**
     * The whole process paused for longer than the motor watchdog's limit (SIGSTOP, then systemd's
     * SIGCONT with its kill signal; the virtual Pi saw eleven steps go out in 30 ms after 8 s frozen):
     * the first tick trips the watchdog and nothing of the backlog goes out; the controller's halt
     * then drops it (never a bolus) as after any controller fault.
     */
    @Test
    void aPauseLongerThanTheWatchdogLimitSendsNoBacklog() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.parse("1500mcg/day"), Concentration.parse("50mcg/mL"), V));
            rig.runUntil(60 * S);
            long before = rig.sim.position();
            rig.clock.advanceNanos(8 * S);
            assertTrue(rig.scheduler.plan().target(rig.clock.nanos()) - rig.scheduler.delivered() >= 30, "a backlog of 8 s at 4.8 steps/s");
            assertThrows(MotorFaultException.class, () -> rig.scheduler.tick(rig.clock.nanos()));
            assertEquals(before, rig.sim.position(), "no step after the pause");
            assertFalse(rig.sim.enabled(), "the driver is disabled");
            assertTrue(rig.scheduler.haltReason().contains("motor watchdog"), rig.scheduler.haltReason());
        }
    }

    @Test
    void haltingEmitsNothingAndDisablesTheMotor() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.parse("1000mcg/day"), C, V));
            rig.runUntil(HOUR);
            long atHalt = rig.scheduler.delivered();
            rig.scheduler.halt("occlusion", rig.clock.nanos());
            assertFalse(rig.sim.enabled());
            rig.runUntil(3 * HOUR);
            assertEquals(atHalt, rig.sim.position());
            // Resume without catch-up: the caller rebases the plan to what was delivered.
            rig.scheduler.plan(rig.scheduler.plan().rebased(rig.clock.nanos(), atHalt));
            rig.scheduler.resume();
            rig.runUntil(4 * HOUR);
            long oneHour = DeliveryPlan.start(0, 0, DailyRate.parse("1000mcg/day"), C, V).target(HOUR);
            assertEquals(atHalt + oneHour, rig.scheduler.delivered(), 1, "the programmed rate again, no bolus of the missed hours");
            assertTrue(rig.sim.enabled());
        }
    }

    @Test
    void everyStepIsClearedBeforeItIsEmittedAndBatchesAreBounded() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.parse("400mcg/day"), C, V)
                    .withVolumeBolus(0, Volume.parse("0.05mL"), 10 * S));
            rig.runUntil(HOUR);
            rig.scheduler.closeBatch(rig.clock.nanos());
            // The rig's sink checks each clearance against the pulses already emitted: k comes before pulse k.
            assertEquals(rig.scheduler.delivered(), rig.cleared.size());
            for (int i = 0; i < rig.cleared.size(); i++) {
                assertEquals(i + 1, rig.cleared.get(i));
            }
            long total = 0;
            long expectedFirst = 1;
            for (int i = 0; i < rig.batches.size(); i++) {
                DeliveredBatch b = rig.batches.get(i);
                assertEquals(expectedFirst, b.firstMicrostep(), "batches are contiguous");
                assertTrue(b.microsteps() <= DoseScheduler.BATCH_MAX_MICROSTEPS);
                assertTrue(b.endNanos() - b.startNanos() <= DoseScheduler.BATCH_MAX_NANOS);
                expectedFirst = b.lastMicrostep() + 1;
                total += b.microsteps();
            }
            assertEquals(rig.scheduler.delivered(), total);
        }
    }

    @Test
    void aMotorFaultHaltsAndIsReported() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.parse("1000mcg/day"), C, V));
            rig.runUntil(HOUR);
            rig.stepper.safeState("test: driver fault");
            rig.clock.advanceNanos(HOUR);
            MotorFaultException e = assertThrows(MotorFaultException.class, () -> rig.scheduler.tick(rig.clock.nanos()));
            assertEquals("test: driver fault", e.getMessage());
            assertEquals("motor fault: test: driver fault", rig.scheduler.haltReason());
        }
    }

    @Test
    void nothingProgrammedMeansTheMotorRestsAndTheWatchdogIsStillFed() {
        try (SchedulerRig rig = new SchedulerRig(1_000)) {
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.ZERO, C, V));
            rig.runUntil(DAY, (t, d) -> assertTrue(rig.watchdog.check(t) > t));
            assertFalse(rig.watchdog.tripped());
            assertEquals(0, rig.sim.pulses());
            assertFalse(rig.sim.enabled());
        }
    }
}
