package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * Random programs, calibrations and clocks: delivered never strays more than one microstep from
 * the exact ideal while the loop ticks on time, and long runs do not drift.
 */
class DeliveryPropertiesTest {

    private static final long S = 1_000_000_000L;
    private static final long MAX_STEP_RATE = 1_000;

    /** A change to the running therapy at some time: a new basal rate, a bolus, or a cancelled bolus. */
    record Change(long atNanos, int kind, long amount, long durationNanos) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Change> change = Combinators.combine(
                Arbitraries.longs().between(1, 48 * 3_600 * S),
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1_000, 1_500_000),
                Arbitraries.longs().between(60 * S, 2 * 3_600 * S)).as(Change::new);
        return change.list().ofMaxSize(12).map(list -> list.stream().sorted((a, b) -> Long.compare(a.atNanos(), b.atNanos())).toList());
    }

    @Provide
    Arbitrary<Long> concentrations() {
        return Arbitraries.of(50_000L, 500_000L, 1_000_000L, 2_000_000L);
    }

    @Property(tries = 40)
    void deliveredStaysWithinOneMicrostepOfTheIdeal(
            @ForAll @LongRange(min = 1_000, max = 1_500_000) long basalNgPerDay,
            @ForAll("concentrations") long concentrationNgPerMl,
            @ForAll @LongRange(min = 50_000, max = 2_000_000) long plPerMicrostep,
            @ForAll @LongRange(min = 0, max = 1_000_000) long startOffsetNanos,
            @ForAll("changes") List<Change> changes) {
        // Keep a try to a few hundred thousand steps: the property is about exactness, not volume.
        Assume.that(microstepsPerDay(basalNgPerDay, concentrationNgPerMl, plPerMicrostep) <= 60_000);
        try (SchedulerRig rig = new SchedulerRig(MAX_STEP_RATE)) {
            rig.clock.advanceNanos(startOffsetNanos);
            long t0 = rig.clock.nanos();
            rig.nextTick = t0;
            Concentration c = new Concentration(concentrationNgPerMl);
            Volume v = new Volume(plPerMicrostep);
            DeliveryPlan plan = DeliveryPlan.start(t0, 0, new DailyRate(basalNgPerDay), c, v);
            ExactIdeal ideal = new ExactIdeal(t0, 0, basalNgPerDay, concentrationNgPerMl, plPerMicrostep);
            rig.scheduler.plan(plan);
            long[] lastChange = {t0};
            SchedulerRig.Check check = (t, delivered) -> {
                if (t < lastChange[0]) {
                    return; // the instant before a change belongs to the previous plan, already checked
                }
                assertTrue(ideal.lagsByLessThanOne(t, delivered), () -> "ideal - delivered = " + ideal.minus(t, delivered) + " at " + t);
            };
            for (Change change : changes) {
                long at = t0 + change.atNanos();
                rig.runUntil(at, check);
                DeliveryPlan next = apply(rig.scheduler.plan(), ideal, change, at);
                // Changes the pump could not keep up with are refused before they reach a plan.
                if (next.microstepsPerSecondAt(at) * 2 <= MAX_STEP_RATE) {
                    rig.scheduler.plan(next);
                } else {
                    undo(ideal, rig.scheduler.plan(), at);
                }
                rig.nextTick = at;
                lastChange[0] = at;
            }
            long end = t0 + 50 * 3_600 * S;
            rig.runUntil(end, check);
            assertEquals(rig.scheduler.delivered(), rig.sim.position());
        }
    }

    @Property(tries = 4)
    void thirtyDaysAccumulateNoDrift(@ForAll @IntRange(min = 90, max = 800) int mcgPerDay,
            @ForAll("maintenanceConcentrations") long concentrationNgPerMl) {
        try (SchedulerRig rig = new SchedulerRig(MAX_STEP_RATE)) {
            Volume v = Volume.parse("71.853nL");
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.ofMicrogramsPerDay(mcgPerDay), new Concentration(concentrationNgPerMl), v));
            ExactIdeal ideal = new ExactIdeal(0, 0, mcgPerDay * 1_000L, concentrationNgPerMl, v.picolitres());
            long thirtyDays = 30L * 24 * 3_600 * S;
            rig.runUntil(thirtyDays);
            assertEquals(ideal.floorAt(thirtyDays), rig.scheduler.delivered(), "delivered after 30 days is floor(ideal)");
        }
    }

    @Provide
    Arbitrary<Long> maintenanceConcentrations() {
        return Arbitraries.of(500_000L, 1_000_000L, 2_000_000L);
    }

    private static long microstepsPerDay(long ngPerDay, long ngPerMl, long plPerMicrostep) {
        return java.math.BigInteger.valueOf(ngPerDay).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .divide(java.math.BigInteger.valueOf(ngPerMl).multiply(java.math.BigInteger.valueOf(plPerMicrostep))).longValueExact();
    }

    private static DeliveryPlan apply(DeliveryPlan plan, ExactIdeal ideal, Change change, long at) {
        switch (change.kind()) {
            case 0 -> {
                long rate = Math.min(change.amount(), 60_000 * ideal.ngPerMicrostepTimes1e9() / 1_000_000_000L + 1);
                ideal.basal(at, rate);
                return plan.withBasal(at, new DailyRate(rate));
            }
            case 1 -> {
                if (plan.bolusRunningAt(at)) {
                    ideal.advance(at);
                    return plan;
                }
                long ng = Math.max(1, change.amount() / 10);
                ideal.bolus(at, ng, change.durationNanos());
                return plan.withBolus(at, new Dose(ng), change.durationNanos());
            }
            default -> {
                if (!plan.bolusRunningAt(at)) {
                    ideal.advance(at);
                    return plan;
                }
                ideal.cancelBolus(at);
                return plan.withoutBolus(at);
            }
        }
    }

    /** Puts the reference back to the plan that stays in force, after a refused change. */
    private static void undo(ExactIdeal ideal, DeliveryPlan kept, long at) {
        ideal.basal(at, kept.basal().nanogramsPerDay());
        if (!kept.bolusRunningAt(at)) {
            ideal.cancelBolus(at);
        }
    }
}
