package org.openitb.sim;

/**
 * The vessel on the simulated bench's balance, under the catheter's tip: the microsteps that left
 * the tip arrive through the line's compliance (a first-order lag with the relief time of
 * {@link SimulatedBench#RELIEF_SECONDS}), weigh as water of their density, and evaporate at a
 * constant rate. Its microstep is the plant's true one, which a test may set apart from the
 * pump's calibration to see the error it makes. Thread-safe: the stepping thread adds, the
 * balance reads.
 */
public final class Vessel {

    private static final double NANOS_PER_HOUR = 3_600e9;

    private final double tareG;
    private final double densityGPerMl;
    private double microstepUl;
    private double evaporationGPerHour;
    private final double lagNanos;
    private double evaporatedG;
    private long evaporatedAtNanos;
    private double arrivedUl;
    private double pendingUl;
    private long pendingAtNanos;

    /**
     * A vessel weighing {@code tareG} empty at {@code startNanos}, filling with a fluid of
     * {@code densityGPerMl}, {@code microstepUl} uL a microstep, losing {@code evaporationMgPerHour}.
     */
    public Vessel(double tareG, double densityGPerMl, double microstepUl, double evaporationMgPerHour, long startNanos) {
        if (!(tareG >= 0 && tareG < 10_000 && densityGPerMl >= 0.5 && densityGPerMl <= 2.5 && microstepUl > 0 && microstepUl < 1_000
                && evaporationMgPerHour >= 0 && evaporationMgPerHour <= 1_000)) {
            throw new IllegalArgumentException("a vessel of " + tareG + " g, " + densityGPerMl + " g/mL, " + microstepUl + " uL a microstep, "
                    + evaporationMgPerHour + " mg/h evaporating is not a bench's");
        }
        this.tareG = tareG;
        this.densityGPerMl = densityGPerMl;
        this.microstepUl = microstepUl;
        this.evaporationGPerHour = evaporationMgPerHour / 1_000;
        this.lagNanos = SimulatedBench.RELIEF_SECONDS * 1e9;
        this.pendingAtNanos = startNanos;
        this.evaporatedAtNanos = startNanos;
    }

    /** A microstep left the tip at {@code nanos}. */
    public synchronized void tipOut(long nanos) {
        settle(nanos);
        pendingUl += microstepUl;
    }

    /** What the vessel weighs at {@code nanos}, g. */
    public synchronized double grams(long nanos) {
        settle(nanos);
        if (nanos - evaporatedAtNanos > 0) {
            evaporatedG += evaporationGPerHour * (nanos - evaporatedAtNanos) / NANOS_PER_HOUR;
            evaporatedAtNanos = nanos;
        }
        return tareG + arrivedUl / 1_000 * densityGPerMl - evaporatedG;
    }

    /** From {@code nanos} on, each microstep pushes {@code ul} (a plant whose true stroke differs from its calibration). */
    public synchronized void microstepUl(long nanos, double ul) {
        if (!(ul > 0 && ul < 1_000)) {
            throw new IllegalArgumentException("a microstep of " + ul + " uL is not a bench's");
        }
        settle(nanos);
        microstepUl = ul;
    }

    /** From {@code nanos} on, the vessel loses {@code mgPerHour} to evaporation. */
    public synchronized void evaporation(long nanos, double mgPerHour) {
        if (!(mgPerHour >= 0 && mgPerHour <= 1_000)) {
            throw new IllegalArgumentException("evaporation must be 0-1000 mg/h: " + mgPerHour);
        }
        grams(nanos); // what evaporated so far, at the old rate
        evaporationGPerHour = mgPerHour / 1_000;
    }

    /** The volume that has arrived by {@code nanos}, uL (for tests). */
    public synchronized double arrivedUl(long nanos) {
        settle(nanos);
        return arrivedUl;
    }

    private void settle(long nanos) {
        if (nanos - pendingAtNanos > 0) {
            double moved = pendingUl * -Math.expm1(-(nanos - pendingAtNanos) / lagNanos);
            arrivedUl += moved;
            pendingUl -= moved;
            pendingAtNanos = nanos;
        }
    }
}
