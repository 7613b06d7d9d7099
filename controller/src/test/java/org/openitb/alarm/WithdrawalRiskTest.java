package org.openitb.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Percent;

/** The one-compartment estimate against its closed form. */
class WithdrawalRiskTest {

    private static final RiskSettings SETTINGS = new RiskSettings(Duration.ofHours(4), Percent.of(90), Percent.of(75), Percent.of(50));
    private static final DailyRate RATE = DailyRate.parse("400mcg/day");
    private static final long TICK = 250_000_000L;
    private static final double K_PER_MIN = Math.log(2) / 240;
    /** The tests deliver whole nanograms: 1 ng in the ~96 000 ng a 400 mcg/day steady state holds. */
    private static final double QUANTUM = 1e-4;

    /** The prescription as the pump integrates it: {@code rate} from the last update to {@code t}. */
    private final Map<WithdrawalRisk, double[]> prescribed = new IdentityHashMap<>();

    /** Updates {@code risk} at {@code t}: {@code deliveredNg} so far, {@code rate} prescribed since its last update. */
    private void update(WithdrawalRisk risk, long t, long deliveredNg, DailyRate rate) {
        double[] p = prescribed.computeIfAbsent(risk, r -> new double[] {0, t});
        p[0] += (double) rate.nanogramsPerDay() * (t - p[1]) / 86_400e9;
        p[1] = t;
        risk.update(t, new Dose(deliveredNg), new Dose((long) Math.floor(p[0])), rate);
    }

    /** Feeds {@code rate} as delivered, tick by tick, from {@code from} for {@code nanos}; returns the delivered total after. */
    private long deliver(WithdrawalRisk risk, long from, long nanos, long deliveredNg, DailyRate rate) {
        for (long t = from + TICK; t <= from + nanos; t += TICK) {
            long total = deliveredNg + (long) ((double) rate.nanogramsPerDay() * (t - from) / 86_400e9);
            update(risk, t, total, RATE);
        }
        return deliveredNg + (long) ((double) rate.nanogramsPerDay() * nanos / 86_400e9);
    }

    @Test
    void deliveringAsPrescribedKeepsTheLevelAtTheReference() {
        WithdrawalRisk risk = new WithdrawalRisk(SETTINGS);
        update(risk, 0, 0, RATE);
        deliver(risk, 0, Duration.ofHours(30).toNanos(), 0, RATE);
        RiskEstimate e = risk.estimate().orElseThrow();
        assertEquals(1.0, e.fraction(), QUANTUM);
        assertEquals(RiskLevel.NONE, e.level());
        // ln(1/0.9)/k: 36.47 min to elevated if delivery stopped now.
        assertEquals(36, e.etaNextLevelMinutes().getAsLong());
    }

    @Test
    void whenDeliveryStopsTheLevelFallsAsTheClosedFormAndTheLevelsAndEtasFollowIt() {
        WithdrawalRisk risk = new WithdrawalRisk(SETTINGS);
        update(risk, 0, 0, RATE);
        long stop = Duration.ofHours(24).toNanos();
        long delivered = deliver(risk, 0, stop, 0, RATE);
        for (long minute = 1; minute <= 10 * 60; minute++) {
            long t = stop + Duration.ofMinutes(minute).toNanos();
            update(risk, t, delivered, RATE);
            RiskEstimate e = risk.estimate().orElseThrow();
            double closed = Math.exp(-K_PER_MIN * minute);
            assertEquals(closed, e.fraction(), QUANTUM, "minute " + minute);
            RiskLevel expected = closed < 0.5 ? RiskLevel.CRITICAL : closed < 0.75 ? RiskLevel.HIGH : closed < 0.9 ? RiskLevel.ELEVATED : RiskLevel.NONE;
            assertEquals(expected, e.level(), "minute " + minute);
            if (minute == 5 * 60) {
                assertEquals(42, e.percent(), "five hours stopped: 2^(-5/4) of prescribed");
            }
            if (expected != RiskLevel.CRITICAL) {
                double next = expected == RiskLevel.NONE ? 0.9 : expected == RiskLevel.ELEVATED ? 0.75 : 0.5;
                double etaClosed = Math.log(closed / next) / K_PER_MIN;
                assertEquals(Math.floor(etaClosed), e.etaNextLevelMinutes().getAsLong(), 1.0, "minute " + minute);
            } else {
                assertTrue(e.etaNextLevelMinutes().isEmpty(), "nothing after critical");
            }
        }
    }

    @Test
    void aTitrationUpDeliveredAsProgrammedIsNoRisk() {
        WithdrawalRisk risk = new WithdrawalRisk(SETTINGS);
        update(risk, 0, 0, RATE);
        long t = Duration.ofHours(10).toNanos();
        long delivered = deliver(risk, 0, t, 0, RATE);
        DailyRate higher = DailyRate.parse("520mcg/day");
        for (long s = t + TICK; s <= t + Duration.ofHours(10).toNanos(); s += TICK) {
            update(risk, s, delivered + (long) ((double) higher.nanogramsPerDay() * (s - t) / 86_400e9), higher);
        }
        assertEquals(1.0, risk.estimate().orElseThrow().fraction(), 1e-3, "the reference rises with the program, the level with delivery");
    }

    @Test
    void aRestartContinuesTheSavedEstimateAcrossTheGap() {
        WithdrawalRisk before = new WithdrawalRisk(SETTINGS);
        update(before, 0, 0, RATE);
        long delivered = deliver(before, 0, Duration.ofHours(10).toNanos(), 0, RATE);
        RiskRecord saved = before.memory(Instant.EPOCH).orElseThrow();
        WithdrawalRisk after = new WithdrawalRisk(SETTINGS);
        after.restore(Optional.of(saved), Instant.EPOCH, Instant.EPOCH.plus(Duration.ofHours(3)), 5, new Dose(delivered), Dose.ZERO, RATE);
        assertEquals(Math.pow(2, -0.75), after.estimate().orElseThrow().fraction(), QUANTUM, "three quarters of a half-life without delivery");
        assertEquals(RiskLevel.HIGH, after.estimate().orElseThrow().level());
    }

    @Test
    void aGapLengthenedOnceTheClockIsSetDecaysAsIfItHadBeenKnownFromTheStart() {
        // One estimate told the 3 h gap at once; one told 40 s (the clock was stale), then the rest once it was set.
        var saved = Optional.of(new RiskRecord(Instant.EPOCH, 90_000, 96_000));
        WithdrawalRisk told = new WithdrawalRisk(SETTINGS);
        told.restore(saved, Instant.EPOCH, Instant.EPOCH.plus(Duration.ofHours(3)), 0, Dose.ZERO, Dose.ZERO, RATE);
        WithdrawalRisk corrected = new WithdrawalRisk(SETTINGS);
        corrected.restore(saved, Instant.EPOCH, Instant.EPOCH.plusSeconds(40), 0, Dose.ZERO, Dose.ZERO, RATE);
        for (long second = 1; second <= 600; second++) {
            Dose delivered = new Dose(5 * second);
            Dose prescribed = new Dose(4 * second);
            told.update(second * 1_000_000_000L, delivered, prescribed, RATE);
            corrected.update(second * 1_000_000_000L, delivered, prescribed, RATE);
            if (second == 300) {
                corrected.extendGap(Duration.ofHours(3).minusSeconds(40));
            }
        }
        assertEquals(told.estimate().orElseThrow().fraction(), corrected.estimate().orElseThrow().fraction(), 1e-12,
                "the model is linear: the correction is exact");
    }

    @Test
    void withoutASavedEstimateARestartTakesSteadyStateAtTheLastHeartbeat() {
        WithdrawalRisk after = new WithdrawalRisk(SETTINGS);
        after.restore(Optional.empty(), Instant.EPOCH, Instant.EPOCH.plus(Duration.ofHours(4)), 5, Dose.ZERO, Dose.ZERO, RATE);
        assertEquals(0.5, after.estimate().orElseThrow().fraction(), 1e-9, "one half-life since the heartbeat");
    }

    @Test
    void nothingPrescribedMeansNoEstimate() {
        WithdrawalRisk risk = new WithdrawalRisk(SETTINGS);
        update(risk, 0, 0, DailyRate.ZERO);
        assertTrue(risk.estimate().isEmpty());
    }

    @Test
    void anEstimateSavedBeforeAnyProgramCountsForNothingAfterARestart() {
        WithdrawalRisk risk = new WithdrawalRisk(SETTINGS);
        Instant heartbeat = Instant.parse("2026-01-05T00:00:00Z");
        // Saved at the first tick of a new pump, before its first program: nothing in, nothing prescribed.
        var savedBeforeAnyProgram = Optional.of(new RiskRecord(heartbeat, 0, 0));
        risk.restore(savedBeforeAnyProgram, heartbeat, heartbeat.plusSeconds(43), 0, Dose.ZERO, Dose.ZERO, RATE);
        RiskEstimate e = risk.estimate().orElseThrow();
        // As with no saved estimate: steady state at the heartbeat, then 43 s without delivery.
        assertEquals(Math.pow(2, -43.0 / 60 / 240), e.fraction(), QUANTUM);
        assertEquals(RiskLevel.NONE, e.level());
    }
}
