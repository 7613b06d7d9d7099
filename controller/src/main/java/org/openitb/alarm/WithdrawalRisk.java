package org.openitb.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;

/**
 * A one-compartment estimate of the drug level from what was actually delivered, against the
 * level the prescription would have kept up. Both amounts follow dA/dt = input − k·A with
 * k = ln 2 / half-life: the actual one takes the drug that reached the patient, the reference one
 * the whole prescription: the basal rate (flex steps included) and the periodic boluses at their
 * scheduled times, whether or not they were given. While delivery follows the program their ratio
 * stays 1 (periodic boluses lift both at once); when it stops, the ratio falls about as e^(−k·t).
 * The patient is assumed at steady state when the first program starts (as after a pump change).
 * Pure arithmetic on the times it is given.
 */
public final class WithdrawalRisk {

    private final RiskSettings settings;
    /** Elimination rate constant, per nanosecond. */
    private final double kPerNanos;
    private boolean started;
    private long atNanos;
    private long deliveredNg;
    private long prescribedNg;
    private double levelNg;
    private double referenceNg;
    /** The prescription's average rate as of the last update (basal now plus periodic boluses), ng per nanosecond. */
    private double ratePerNanos;
    /** What a restore started from, to lengthen its gap later: the saved amounts, the steady state, the gap and when. */
    private RiskRecord restoredFrom;
    private double restoredSteadyNg;
    private long restoredGapNanos;
    private long restoredAtNanos;

    public WithdrawalRisk(RiskSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kPerNanos = Math.log(2) / settings.halfLife().toNanos();
    }

    /**
     * Continues from the estimate a previous run saved, across the gap since then, in which nothing
     * was delivered while the prescription (at {@code prescribedPerDay} on average) went on, so the
     * reference kept its input. Without a saved estimate (or with one from before any program) the
     * patient is taken to have been at steady state at {@code lastHeartbeat}. The totals are this
     * run's counts so far, from which the next updates take their increases.
     */
    public void restore(Optional<RiskRecord> saved, Instant lastHeartbeat, Instant wallNow, long nowNanos, Dose deliveredTotal,
            Dose prescribedTotal, DailyRate prescribedPerDay) {
        ratePerNanos = prescribedPerDay.nanogramsPerDay() / 86_400e9;
        double steady = ratePerNanos / kPerNanos;
        // A saved estimate from before any program knows nothing of the patient: steady state, as for a first program.
        RiskRecord from = saved.filter(r -> r.referenceNg() > 0).orElseGet(() -> new RiskRecord(lastHeartbeat, steady, steady));
        long gapNanos = Math.max(0, Duration.between(from.at(), wallNow).toNanos());
        double decay = Math.exp(-kPerNanos * gapNanos);
        restoredFrom = from;
        restoredSteadyNg = steady;
        restoredGapNanos = gapNanos;
        restoredAtNanos = nowNanos;
        started = true;
        atNanos = nowNanos;
        deliveredNg = deliveredTotal.nanograms();
        prescribedNg = prescribedTotal.nanograms();
        levelNg = from.levelNg() * decay;
        referenceNg = from.referenceNg() * decay + steady * (1 - decay);
    }

    /**
     * The gap the last {@link #restore} decayed across turned out {@code extra} longer (the wall
     * clock was behind then): what came from before the restart decays over it too, and the
     * reference keeps the prescription's input through it. Exact, since the model is linear.
     */
    public void extendGap(Duration extra) {
        if (restoredFrom == null || extra.isNegative() || extra.isZero()) {
            return;
        }
        long longer = restoredGapNanos + extra.toNanos();
        double before = Math.exp(-kPerNanos * restoredGapNanos);
        double after = Math.exp(-kPerNanos * longer);
        double since = Math.exp(-kPerNanos * Math.max(0, atNanos - restoredAtNanos));
        levelNg += restoredFrom.levelNg() * (after - before) * since;
        referenceNg += (restoredFrom.referenceNg() - restoredSteadyNg) * (after - before) * since;
        restoredGapNanos = longer;
    }

    /**
     * Advances the estimate to {@code nowNanos}: {@code deliveredTotal} is all the drug that reached
     * the patient so far and {@code prescribedTotal} all the prescription asked for (the increases
     * since the last call are taken as spread evenly over the interval); {@code prescribedPerDay}
     * is the prescription's average rate now, for the steady state and the time to the next level.
     */
    public void update(long nowNanos, Dose deliveredTotal, Dose prescribedTotal, DailyRate prescribedPerDay) {
        ratePerNanos = prescribedPerDay.nanogramsPerDay() / 86_400e9;
        if (!started) {
            started = true;
            atNanos = nowNanos;
            deliveredNg = deliveredTotal.nanograms();
            prescribedNg = prescribedTotal.nanograms();
            levelNg = ratePerNanos / kPerNanos;
            referenceNg = levelNg;
            return;
        }
        long dt = nowNanos - atNanos;
        long delivered = deliveredTotal.nanograms() - deliveredNg;
        long prescribed = prescribedTotal.nanograms() - prescribedNg;
        atNanos = nowNanos;
        deliveredNg = deliveredTotal.nanograms();
        prescribedNg = prescribedTotal.nanograms();
        if (referenceNg == 0 && ratePerNanos > 0) {
            // The first program after none: the patient comes to it at steady state.
            levelNg = ratePerNanos / kPerNanos;
            referenceNg = levelNg;
            return;
        }
        if (dt <= 0) {
            levelNg += Math.max(0, delivered);
            referenceNg += Math.max(0, prescribed);
            return;
        }
        double decay = Math.exp(-kPerNanos * dt);
        double gain = (1 - decay) / (kPerNanos * dt); // of an input spread evenly over dt, the part still there at its end
        levelNg = levelNg * decay + Math.max(0, delivered) * gain;
        referenceNg = referenceNg * decay + Math.max(0, prescribed) * gain;
    }

    /** The estimate as of the last update; empty while nothing is prescribed nor lingering. */
    public Optional<RiskEstimate> estimate() {
        if (!started || referenceNg <= 0) {
            return Optional.empty();
        }
        double fraction = levelNg / referenceNg;
        RiskLevel level = settings.levelOf(fraction);
        return Optional.of(new RiskEstimate(level, fraction, etaNextLevelMinutes(level)));
    }

    /** What to save: the amounts as of the last update, at {@code wall}. */
    public Optional<RiskRecord> memory(Instant wall) {
        return started ? Optional.of(new RiskRecord(wall, levelNg, referenceNg)) : Optional.empty();
    }

    /**
     * Minutes until the ratio crosses the next threshold if nothing more is delivered while the
     * prescription goes on: with x = e^(−k·t), level·x = θ·(reference·x + R·(1 − x)), R = rate / k.
     */
    private OptionalLong etaNextLevelMinutes(RiskLevel level) {
        if (level == RiskLevel.CRITICAL || ratePerNanos <= 0) {
            return OptionalLong.empty(); // nothing worse to come, or nothing prescribed to fall behind
        }
        double theta = settings.below(RiskLevel.values()[level.ordinal() + 1]);
        double steady = ratePerNanos / kPerNanos;
        double x = theta * steady / (levelNg - theta * referenceNg + theta * steady);
        if (!(x > 0) || x >= 1) {
            return OptionalLong.of(0);
        }
        // Rounded down: a caregiver told "in 40 min" when it is 40.7 is told early, never late.
        return OptionalLong.of((long) Math.floor(-Math.log(x) / kPerNanos / 60e9));
    }
}
