package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openitb.testing.Draw;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * Random programs, calibrations and clocks: delivered never strays more than one microstep from
 * the exact ideal while the loop ticks on time, and long runs do not drift. Each case is one seed
 * ({@link Draw}); {@code -Dcase.seed=N} replays it.
 */
class DeliveryPropertiesTest {

    private static final long S = 1_000_000_000L;
    private static final long MAX_STEP_RATE = 1_000;
    private static final List<Long> CONCENTRATIONS = List.of(50_000L, 500_000L, 1_000_000L, 2_000_000L);
    private static final List<Long> MAINTENANCE_CONCENTRATIONS = List.of(500_000L, 1_000_000L, 2_000_000L);
    /** Keep a case to a few hundred thousand steps: the property is about exactness, not volume. */
    private static final long MAX_MICROSTEPS_PER_DAY = 60_000;
    /** Redraws of a case's program before it counts as a broken generator rather than a rare draw. */
    private static final int MAX_REDRAWS = 1_000;

    /** A change to the running therapy at some time: a new basal rate, a bolus, or a cancelled bolus. */
    record Change(long atNanos, int kind, long amount, long durationNanos) {
    }

    /** The program a case runs: basal, drug, calibration, where the clock starts, and the changes. */
    record Program(long basalNgPerDay, long concentrationNgPerMl, long plPerMicrostep, long startOffsetNanos, List<Change> changes) {

        static Program draw(Draw draw) {
            for (int i = 0; i < MAX_REDRAWS; i++) {
                long basal = draw.between(1_000L, 1_500_000L);
                long concentration = draw.oneOf(CONCENTRATIONS);
                long pl = draw.between(50_000L, 2_000_000L);
                if (microstepsPerDay(basal, concentration, pl) <= MAX_MICROSTEPS_PER_DAY) {
                    return new Program(basal, concentration, pl, draw.between(0L, 1_000_000L), changes(draw));
                }
            }
            throw new IllegalStateException("no program of at most " + MAX_MICROSTEPS_PER_DAY + " microsteps a day in " + MAX_REDRAWS + " draws");
        }

        private static List<Change> changes(Draw draw) {
            List<Change> changes = new ArrayList<>();
            for (int n = draw.size(12); changes.size() < n;) {
                changes.add(new Change(draw.between(1, 48 * 3_600 * S), draw.between(0, 2), draw.between(1_000L, 1_500_000L),
                        draw.between(60 * S, 2 * 3_600 * S)));
            }
            changes.sort(Comparator.comparingLong(Change::atNanos));
            return List.copyOf(changes);
        }
    }

    static LongStream forty() {
        return Draw.seeds(40);
    }

    static LongStream four() {
        return Draw.seeds(4);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("forty")
    void deliveredStaysWithinOneMicrostepOfTheIdeal(long seed) {
        Program p = Program.draw(Draw.from(seed));
        long basalNgPerDay = p.basalNgPerDay();
        long concentrationNgPerMl = p.concentrationNgPerMl();
        long plPerMicrostep = p.plPerMicrostep();
        try (SchedulerRig rig = new SchedulerRig(MAX_STEP_RATE)) {
            rig.clock.advanceNanos(p.startOffsetNanos());
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
            for (Change change : p.changes()) {
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

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("four")
    void thirtyDaysAccumulateNoDrift(long seed) {
        Draw draw = Draw.from(seed);
        int mcgPerDay = draw.between(90, 800);
        long concentrationNgPerMl = draw.oneOf(MAINTENANCE_CONCENTRATIONS);
        try (SchedulerRig rig = new SchedulerRig(MAX_STEP_RATE)) {
            Volume v = Volume.parse("71.853nL");
            rig.scheduler.plan(DeliveryPlan.start(0, 0, DailyRate.ofMicrogramsPerDay(mcgPerDay), new Concentration(concentrationNgPerMl), v));
            ExactIdeal ideal = new ExactIdeal(0, 0, mcgPerDay * 1_000L, concentrationNgPerMl, v.picolitres());
            long thirtyDays = 30L * 24 * 3_600 * S;
            rig.runUntil(thirtyDays);
            assertEquals(ideal.floorAt(thirtyDays), rig.scheduler.delivered(), "delivered after 30 days is floor(ideal)");
        }
    }

    private static long microstepsPerDay(long ngPerDay, long ngPerMl, long plPerMicrostep) {
        return BigInteger.valueOf(ngPerDay).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(ngPerMl).multiply(BigInteger.valueOf(plPerMicrostep))).longValueExact();
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
