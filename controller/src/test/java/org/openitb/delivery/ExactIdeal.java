package org.openitb.delivery;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An independent reference for the tests: the ideal number of microsteps as an exact, reduced
 * fraction, integrated segment by segment the plain way (drug ÷ concentration ÷ volume per
 * microstep), with none of DeliveryPlan's scaling.
 */
public final class ExactIdeal {

    private static final BigInteger NS_PER_DAY = BigInteger.valueOf(86_400_000_000_000L);
    private static final BigInteger PL_PER_ML = BigInteger.valueOf(1_000_000_000L);

    private BigInteger num;
    private BigInteger den = BigInteger.ONE;
    private long at;
    private long basalNgPerDay;
    private long concentrationNgPerMl;
    private final long plPerMicrostep;
    /** The running bolus: ngNum / ngDen nanograms spread over [bolusStart, bolusEnd). */
    private BigInteger bolusNgNum = BigInteger.ZERO;
    private BigInteger bolusNgDen = BigInteger.ONE;
    private long bolusStart;
    private long bolusEnd = Long.MIN_VALUE;

    public ExactIdeal(long start, long microsteps, long basalNgPerDay, long concentrationNgPerMl, long plPerMicrostep) {
        this.at = start;
        this.num = BigInteger.valueOf(microsteps);
        this.basalNgPerDay = basalNgPerDay;
        this.concentrationNgPerMl = concentrationNgPerMl;
        this.plPerMicrostep = plPerMicrostep;
    }

    /** Integrates up to {@code t}. */
    public void advance(long t) {
        if (t < at) {
            throw new IllegalArgumentException("back in time: " + t + " < " + at);
        }
        BigInteger cv = BigInteger.valueOf(concentrationNgPerMl).multiply(BigInteger.valueOf(plPerMicrostep));
        // basal: R * dt / NS_PER_DAY ng, each ng is 1e9 / (c v) microsteps
        add(BigInteger.valueOf(basalNgPerDay).multiply(BigInteger.valueOf(t - at)).multiply(PL_PER_ML), NS_PER_DAY.multiply(cv));
        if (bolusEnd > at) {
            long overlap = Math.min(t, bolusEnd) - at;
            add(bolusNgNum.multiply(BigInteger.valueOf(overlap)).multiply(PL_PER_ML),
                    bolusNgDen.multiply(BigInteger.valueOf(bolusEnd - bolusStart)).multiply(cv));
        }
        at = t;
    }

    /** Nanograms per microstep times 10⁹ (c·v), to keep generated rates within reach. */
    long ngPerMicrostepTimes1e9() {
        return concentrationNgPerMl * plPerMicrostep;
    }

    public void basal(long t, long ngPerDay) {
        advance(t);
        basalNgPerDay = ngPerDay;
    }

    public void bolus(long t, long ng, long durationNanos) {
        startBolus(t, BigInteger.valueOf(ng), BigInteger.ONE, durationNanos);
    }

    /** A bolus given as volume: picolitres at the current concentration. */
    void volumeBolus(long t, long picolitres, long durationNanos) {
        startBolus(t, BigInteger.valueOf(picolitres).multiply(BigInteger.valueOf(concentrationNgPerMl)), PL_PER_ML, durationNanos);
    }

    public void cancelBolus(long t) {
        advance(t);
        bolusEnd = Long.MIN_VALUE;
    }

    void concentration(long t, long ngPerMl) {
        advance(t);
        concentrationNgPerMl = ngPerMl;
    }

    public void rebase(long t, long microsteps) {
        advance(t);
        num = BigInteger.valueOf(microsteps);
        den = BigInteger.ONE;
    }

    /** floor(ideal) at {@code t}. */
    public long floorAt(long t) {
        advance(t);
        return num.divide(den).longValueExact();
    }

    /** Whether {@code 0 <= ideal(t) - k < 1}, decided exactly (a double would round 1 - 1e-17 up to 1). */
    boolean lagsByLessThanOne(long t, long k) {
        advance(t);
        BigInteger n = num.subtract(BigInteger.valueOf(k).multiply(den));
        return n.signum() >= 0 && n.compareTo(den) < 0;
    }

    /** ideal at {@code t} minus {@code k}, for messages. */
    public double minus(long t, long k) {
        advance(t);
        BigInteger n = num.subtract(BigInteger.valueOf(k).multiply(den));
        return new BigDecimal(n).divide(new BigDecimal(den), MathContext.DECIMAL128).doubleValue();
    }

    private void startBolus(long t, BigInteger ngNum, BigInteger ngDen, long durationNanos) {
        advance(t);
        bolusNgNum = ngNum;
        bolusNgDen = ngDen;
        bolusStart = t;
        bolusEnd = t + durationNanos;
    }

    private void add(BigInteger n, BigInteger d) {
        if (n.signum() == 0) {
            return;
        }
        num = num.multiply(d).add(n.multiply(den));
        den = den.multiply(d);
        BigInteger g = num.gcd(den);
        if (g.compareTo(BigInteger.ONE) > 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
    }
}
