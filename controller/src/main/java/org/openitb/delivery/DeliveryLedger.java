package org.openitb.delivery;

import java.math.BigInteger;
import java.util.Objects;
import org.openitb.reservoir.Reservoir;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * What delivery took out of the syringe and put into the patient, exactly: each microstep leaves
 * the reservoir, and its drug is counted at the concentration reaching the patient (the catheter's,
 * during a bridge). Volume pushed before any concentration was known (priming a new pump) is
 * counted once the first program names it. Confined to the dose loop thread.
 */
final class DeliveryLedger {

    private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

    private final Reservoir reservoir;
    private final Volume perMicrostep;
    private long accountedMicrosteps;
    /** Drug delivered in units of 10^-9 ng (pL times ng/mL), so nothing is lost to rounding. */
    private BigInteger drugBillionths = BigInteger.ZERO;
    private long unassignedPl;

    DeliveryLedger(Reservoir reservoir, Volume perMicrostep, long deliveredMicrosteps) {
        this.reservoir = Objects.requireNonNull(reservoir, "reservoir");
        this.perMicrostep = Objects.requireNonNull(perMicrostep, "perMicrostep");
        this.accountedMicrosteps = deliveredMicrosteps;
    }

    /** Books the microsteps delivered beyond those already booked, counted at {@code counting}. */
    void book(long deliveredMicrosteps, Concentration counting) {
        long steps = deliveredMicrosteps - accountedMicrosteps;
        if (steps > 0) {
            accountedMicrosteps = deliveredMicrosteps;
            reservoir.deliver(steps, perMicrostep);
            long pl = Math.multiplyExact(steps, perMicrostep.picolitres());
            if (counting.equals(DeliveryOptions.PLACEHOLDER_CONCENTRATION)) {
                unassignedPl = Math.addExact(unassignedPl, pl);
            } else {
                add(pl, counting);
            }
        }
        if (unassignedPl > 0 && reservoir.concentration().isPresent()) {
            add(unassignedPl, reservoir.concentration().get());
            unassignedPl = 0;
        }
    }

    /**
     * Puts back a previous run's totals as of {@code recordedMicrosteps}; microsteps between those and
     * {@code deliveredMicrosteps} (a write-ahead record ahead of the last snapshot) are booked now,
     * at {@code counting}: the safe side for the reservoir.
     */
    void restore(long recordedMicrosteps, BigInteger drug, long unassigned, long deliveredMicrosteps, Concentration counting) {
        this.accountedMicrosteps = recordedMicrosteps;
        this.drugBillionths = drug;
        this.unassignedPl = unassigned;
        book(deliveredMicrosteps, counting);
    }

    BigInteger drugBillionths() {
        return drugBillionths;
    }

    long unassignedPl() {
        return unassignedPl;
    }

    /** Drug delivered so far, rounded down to the nanogram. */
    Dose drug() {
        return new Dose(drugBillionths.divide(BILLION).longValueExact());
    }

    private void add(long pl, Concentration c) {
        drugBillionths = drugBillionths.add(BigInteger.valueOf(pl).multiply(BigInteger.valueOf(c.nanogramsPerMl())));
    }
}
