package org.openitb.delivery;

import java.math.BigInteger;
import java.util.Objects;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * Pure arithmetic of delivery: the target number of microsteps delivered since start, as an exact
 * function of monotonic time, the integral of the programmed rate through the calibration.
 *
 * <p>Units. A basal rate {@code R} ng/day over {@code Δ} ns is {@code R·Δ} "rate units"; one
 * microstep is {@code M = 86400·c·v} of them ({@code c} ng/mL, {@code v} pL per microstep), since
 * microsteps = ng·10⁹/(c·v) and ng = R·Δ/(86400·10⁹). A bolus of {@code d} ng is {@code d·86400·10⁹}
 * rate units spread evenly over its duration {@code T}; to keep that exact the numerator is held
 * scaled by {@code T}. So {@code target(t) = floor(N(t) / (M·T))} with {@code N} an exact integer:
 * no floating point, no drift however long it runs. The only rounding is when the unit of account
 * changes (a new bolus duration or concentration): a remainder finer than one rate unit, below
 * 10⁻¹⁵ microstep, is dropped then.
 *
 * <p>Immutable: every change ({@link #withBasal}, {@link #withBolus}, {@link #rebased},
 * {@link #withConcentration}) closes the running segment at the instant of the change and
 * returns a new plan from there.
 */
public final class DeliveryPlan {

    private static final BigInteger SECONDS_PER_DAY = BigInteger.valueOf(86_400);
    private static final BigInteger NANOS_PER_DAY = BigInteger.valueOf(86_400_000_000_000L);

    private final long volumePerMicrostepPl;
    private final long concentrationNgPerMl;
    /** Made once: the dose loop books with it on every pass. */
    private final Concentration concentration;
    private final BigInteger unitsPerMicrostep;
    private final long scale;
    private final BigInteger denominator;
    private final long startNanos;
    private final BigInteger numeratorAtStart;
    private final long basalNgPerDay;
    private final BigInteger bolusSlope;
    private final long bolusEndNanos;

    private DeliveryPlan(long volumePerMicrostepPl, long concentrationNgPerMl, long scale, long startNanos,
            BigInteger numeratorAtStart, long basalNgPerDay, BigInteger bolusSlope, long bolusEndNanos) {
        this.volumePerMicrostepPl = volumePerMicrostepPl;
        this.concentrationNgPerMl = concentrationNgPerMl;
        this.concentration = new Concentration(concentrationNgPerMl);
        this.unitsPerMicrostep = SECONDS_PER_DAY.multiply(BigInteger.valueOf(concentrationNgPerMl))
                .multiply(BigInteger.valueOf(volumePerMicrostepPl));
        this.scale = scale;
        this.denominator = unitsPerMicrostep.multiply(BigInteger.valueOf(scale));
        this.startNanos = startNanos;
        this.numeratorAtStart = numeratorAtStart;
        this.basalNgPerDay = basalNgPerDay;
        // A bolus that ended before this segment began is folded into the numerator already.
        boolean running = bolusSlope.signum() > 0 && bolusEndNanos - startNanos > 0;
        this.bolusSlope = running ? bolusSlope : BigInteger.ZERO;
        this.bolusEndNanos = running ? bolusEndNanos : Long.MIN_VALUE;
    }

    /** A plan from {@code startNanos}, having delivered {@code microsteps}, at {@code basal} and no bolus. */
    public static DeliveryPlan start(long startNanos, long microsteps, DailyRate basal, Concentration concentration,
            Volume perMicrostep) {
        Objects.requireNonNull(basal, "basal");
        Objects.requireNonNull(concentration, "concentration");
        if (perMicrostep.picolitres() <= 0) {
            throw new IllegalArgumentException("a microstep must move some volume");
        }
        if (microsteps < 0) {
            throw new IllegalArgumentException("microsteps cannot be negative: " + microsteps);
        }
        DeliveryPlan unit = new DeliveryPlan(perMicrostep.picolitres(), concentration.nanogramsPerMl(), 1, startNanos,
                BigInteger.ZERO, basal.nanogramsPerDay(), BigInteger.ZERO, Long.MIN_VALUE);
        return unit.rebased(startNanos, microsteps);
    }

    /** Target cumulative microsteps at {@code t} (monotonic ns, not before the plan's start). */
    public long target(long t) {
        return numeratorAt(t).divide(denominator).longValueExact();
    }

    /**
     * The earliest instant at or after the plan's start when the target reaches {@code k}
     * microsteps, or {@link Long#MAX_VALUE} if it never will (nothing programmed).
     */
    public long timeOfMicrostep(long k) {
        BigInteger needed = BigInteger.valueOf(k).multiply(denominator);
        if (numeratorAtStart.compareTo(needed) >= 0) {
            return startNanos;
        }
        BigInteger basalSlope = basalSlope();
        if (bolusRunningAt(startNanos)) {
            BigInteger slope = basalSlope.add(bolusSlope);
            long t = after(startNanos, needed.subtract(numeratorAtStart), slope);
            if (t <= bolusEndNanos) {
                return t;
            }
            BigInteger atEnd = numeratorAtStart.add(slope.multiply(BigInteger.valueOf(bolusEndNanos - startNanos)));
            return after(bolusEndNanos, needed.subtract(atEnd), basalSlope);
        }
        return after(startNanos, needed.subtract(numeratorAtStart), basalSlope);
    }

    /** The plan with the basal rate {@code basal} from {@code t} on; a running bolus goes on. */
    public DeliveryPlan withBasal(long t, DailyRate basal) {
        return new DeliveryPlan(volumePerMicrostepPl, concentrationNgPerMl, scale, t, numeratorAt(t), basal.nanogramsPerDay(),
                bolusSlope, bolusEndNanos);
    }

    /**
     * The plan with a bolus of {@code dose} spread evenly over {@code durationNanos} from {@code t},
     * on top of the basal rate.
     *
     * @throws IllegalStateException if a bolus is still running at {@code t}
     */
    public DeliveryPlan withBolus(long t, Dose dose, long durationNanos) {
        return withBolusUnits(t, BigInteger.valueOf(dose.nanograms()).multiply(NANOS_PER_DAY), durationNanos);
    }

    /** The plan with a bolus of {@code volume} (priming: volume, not dose) over {@code durationNanos} from {@code t}. */
    public DeliveryPlan withVolumeBolus(long t, Volume volume, long durationNanos) {
        // volume / v microsteps, each M units: volume * 86400 * c.
        return withBolusUnits(t, BigInteger.valueOf(volume.picolitres()).multiply(SECONDS_PER_DAY)
                .multiply(BigInteger.valueOf(concentrationNgPerMl)), durationNanos);
    }

    /** The plan with the running bolus stopped at {@code t} (what it delivered so far stays delivered). */
    public DeliveryPlan withoutBolus(long t) {
        BigInteger n = numeratorAt(t);
        return new DeliveryPlan(volumePerMicrostepPl, concentrationNgPerMl, scale, t, n, basalNgPerDay, BigInteger.ZERO, Long.MIN_VALUE);
    }

    /**
     * The same rates from {@code t}, with the target set to {@code microsteps} delivered: what was
     * planned but not delivered (an occlusion, a halt, a restart) is dropped, never caught up as a bolus.
     */
    public DeliveryPlan rebased(long t, long microsteps) {
        requireNotBefore(t);
        BigInteger n = BigInteger.valueOf(microsteps).multiply(denominator);
        return new DeliveryPlan(volumePerMicrostepPl, concentrationNgPerMl, scale, t, n, basalNgPerDay, bolusSlope, bolusEndNanos);
    }

    /**
     * The plan with microsteps counted at {@code concentration} from {@code t}: the same basal
     * rate in drug, a different volume rate. The fraction of a microstep under way carries over.
     *
     * @throws IllegalStateException if a bolus is running (its dose was fixed at the old concentration)
     */
    public DeliveryPlan withConcentration(long t, Concentration concentration) {
        if (bolusRunningAt(t)) {
            throw new IllegalStateException("the concentration cannot change during a bolus");
        }
        BigInteger n = numeratorAt(t);
        BigInteger[] qr = n.divideAndRemainder(denominator);
        DeliveryPlan next = new DeliveryPlan(volumePerMicrostepPl, concentration.nanogramsPerMl(), scale, t, BigInteger.ZERO,
                basalNgPerDay, BigInteger.ZERO, Long.MIN_VALUE);
        BigInteger carried = qr[0].multiply(next.denominator).add(qr[1].multiply(next.denominator).divide(denominator));
        return new DeliveryPlan(volumePerMicrostepPl, concentration.nanogramsPerMl(), scale, t, carried, basalNgPerDay,
                BigInteger.ZERO, Long.MIN_VALUE);
    }

    /** When the plan's segment began (the last change). */
    public long startNanos() {
        return startNanos;
    }

    public DailyRate basal() {
        return new DailyRate(basalNgPerDay);
    }

    public Concentration concentration() {
        return concentration;
    }

    public Volume volumePerMicrostep() {
        return new Volume(volumePerMicrostepPl);
    }

    /** The whole microsteps that carry {@code dose} at this plan's concentration, rounded down: ng·10⁹ / (c·v). */
    public long microstepsOf(Dose dose) {
        return BigInteger.valueOf(dose.nanograms()).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(concentrationNgPerMl).multiply(BigInteger.valueOf(volumePerMicrostepPl))).longValueExact();
    }

    /** Whether a bolus is delivering at {@code t}. */
    public boolean bolusRunningAt(long t) {
        return bolusSlope.signum() > 0 && t - bolusEndNanos < 0;
    }

    /** When the bolus of this segment ends, or {@link Long#MIN_VALUE} if there is none. */
    public long bolusEndNanos() {
        return bolusEndNanos;
    }

    /** Microsteps per second the plan asks for at {@code t}, rounded up: what the step-rate limit checks. */
    public long microstepsPerSecondAt(long t) {
        BigInteger slope = bolusRunningAt(t) ? basalSlope().add(bolusSlope) : basalSlope();
        BigInteger[] qr = slope.multiply(BigInteger.valueOf(1_000_000_000L)).divideAndRemainder(denominator);
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    private DeliveryPlan withBolusUnits(long t, BigInteger units, long durationNanos) {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("a bolus needs a positive duration: " + durationNanos + " ns");
        }
        if (bolusRunningAt(t)) {
            throw new IllegalStateException("a bolus is already running until " + bolusEndNanos);
        }
        BigInteger n = numeratorAt(t);
        // Re-express the numerator in the bolus's scale; exact when the old scale divides the new.
        BigInteger rescaled = n.multiply(BigInteger.valueOf(durationNanos)).divide(BigInteger.valueOf(scale));
        return new DeliveryPlan(volumePerMicrostepPl, concentrationNgPerMl, durationNanos, t, rescaled, basalNgPerDay, units,
                Math.addExact(t, durationNanos));
    }

    private BigInteger numeratorAt(long t) {
        requireNotBefore(t);
        BigInteger basalSlope = basalSlope();
        if (bolusSlope.signum() > 0) {
            long bolusPart = Math.min(t, bolusEndNanos) - startNanos;
            BigInteger n = numeratorAtStart.add(basalSlope.add(bolusSlope).multiply(BigInteger.valueOf(Math.max(0, bolusPart))));
            return t > bolusEndNanos ? n.add(basalSlope.multiply(BigInteger.valueOf(t - bolusEndNanos))) : n;
        }
        return numeratorAtStart.add(basalSlope.multiply(BigInteger.valueOf(t - startNanos)));
    }

    private BigInteger basalSlope() {
        return BigInteger.valueOf(basalNgPerDay).multiply(BigInteger.valueOf(scale));
    }

    /** The first instant at or after {@code from} when {@code missing} more numerator accrues at {@code slope} per ns. */
    private static long after(long from, BigInteger missing, BigInteger slope) {
        if (missing.signum() <= 0) {
            return from;
        }
        if (slope.signum() == 0) {
            return Long.MAX_VALUE;
        }
        BigInteger[] qr = missing.divideAndRemainder(slope);
        BigInteger wait = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        BigInteger at = BigInteger.valueOf(from).add(wait);
        return at.bitLength() < 63 ? at.longValue() : Long.MAX_VALUE;
    }

    private void requireNotBefore(long t) {
        if (t - startNanos < 0) {
            throw new IllegalArgumentException("time " + t + " is before the plan's start " + startNanos);
        }
    }

    @Override
    public String toString() {
        return "DeliveryPlan[from " + startNanos + ", basal " + basal() + ", " + concentration() + ", " + volumePerMicrostep()
                + "/microstep" + (bolusSlope.signum() > 0 ? ", bolus until " + bolusEndNanos : "") + "]";
    }
}
