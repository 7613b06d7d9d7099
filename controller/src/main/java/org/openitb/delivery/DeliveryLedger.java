package org.openitb.delivery;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openitb.reservoir.Reservoir;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * What delivery took out of the syringe and put into the patient, exactly: each microstep leaves
 * the reservoir, and its drug is counted out of the syringe at the syringe's concentration and into
 * the patient at the concentration reaching the patient (the catheter's, during a bridge). Volume
 * pushed before any concentration was known (a state from before refills were required) is counted
 * once one is.
 *
 * <p>Drug out of the syringe and drug into the patient are two counts. Every microstep fills the
 * dead volume of the pump's outlet and the catheter until it is full, and what fills it reaches no
 * one: a priming is meant to fill it, and a program started on a catheter never primed fills it too
 * (at 400 mcg/day through 0.2 mL of 500 mcg/mL, for six hours), while the patient gets none of the
 * drug and the withdrawal estimate must say so. Everything pushed beyond it reaches the patient at
 * once (the transit time of a full catheter is not modelled); with the catheter disconnected, a
 * priming reaches no one.
 * The patient's drug is also kept in five-minute steps for the 24 h limits. Confined to the dose loop thread.
 */
final class DeliveryLedger {

    private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

    /** What the steps booked now were for. */
    enum Purpose {
        /** Program, boluses, bridge: to the patient, once the dead volume is full. */
        DELIVERY,
        /** Priming with the catheter connected: fills the dead volume, the rest to the patient. */
        PRIMING,
        /** Priming with the catheter disconnected from the patient: fills it, the rest spills. */
        PRIMING_DISCONNECTED
    }

    private final Reservoir reservoir;
    private final Volume perMicrostep;
    private final long deadVolumePl;
    private long accountedMicrosteps;
    /** Drug delivered in units of 10^-9 ng (pL times ng/mL), so nothing is lost to rounding. */
    private BigInteger drugBillionths = BigInteger.ZERO;
    private long unassignedPl;
    /** Drug that reached the patient, in 10^-9 ng. */
    private BigInteger patientBillionths = BigInteger.ZERO;
    /** How much of the dead volume holds solution. */
    private long deadVolumeFilledPl;
    private final DoseWindow patientByHour = new DoseWindow();

    /**
     * A ledger at {@code deliveredMicrosteps}, with the dead volume (of {@code deadVolume}) empty:
     * a new pump whose catheter was never primed.
     */
    DeliveryLedger(Reservoir reservoir, Volume perMicrostep, Volume deadVolume, long deliveredMicrosteps) {
        this.reservoir = Objects.requireNonNull(reservoir, "reservoir");
        this.perMicrostep = Objects.requireNonNull(perMicrostep, "perMicrostep");
        this.deadVolumePl = deadVolume.picolitres();
        this.accountedMicrosteps = deliveredMicrosteps;
    }

    /**
     * Books the microsteps delivered beyond those already booked, at {@code nowNanos}: into the patient
     * at {@code counting} (what the catheter's tip holds), out of the syringe at the syringe's own
     * concentration ({@code counting} only while the syringe's is undeclared).
     */
    void book(long deliveredMicrosteps, Concentration counting, Purpose purpose, long nowNanos) {
        long steps = deliveredMicrosteps - accountedMicrosteps;
        if (steps > 0) {
            accountedMicrosteps = deliveredMicrosteps;
            reservoir.deliver(steps, perMicrostep);
            long pl = Math.multiplyExact(steps, perMicrostep.picolitres());
            long fills = Math.min(pl, deadVolumePl - deadVolumeFilledPl);
            deadVolumeFilledPl += fills;
            settleDeadVolume();
            long toPatient = purpose == Purpose.PRIMING_DISCONNECTED ? 0 : pl - fills;
            boolean known = !counting.equals(DeliveryOptions.PLACEHOLDER_CONCENTRATION);
            // Out of the syringe at the syringe's concentration: during a bridge it is not the catheter's.
            Optional<Concentration> held = reservoir.concentration();
            if (held.isPresent() || known) {
                drugBillionths = drugBillionths.add(billionths(pl, held.orElse(counting)));
            } else {
                unassignedPl = Math.addExact(unassignedPl, pl);
            }
            if (known) {
                BigInteger patient = billionths(toPatient, counting);
                patientBillionths = patientBillionths.add(patient);
                patientByHour.add(nowNanos, patient);
            }
        }
        if (unassignedPl > 0 && reservoir.concentration().isPresent()) {
            drugBillionths = drugBillionths.add(billionths(unassignedPl, reservoir.concentration().get()));
            unassignedPl = 0;
        }
    }

    /**
     * Puts back a previous run's totals as of {@code recordedMicrosteps}; microsteps between those and
     * {@code deliveredMicrosteps} (a write-ahead record ahead of the last snapshot) are booked now,
     * at {@code counting}, as out of the syringe (the safe side for the reservoir) and for {@code purpose},
     * what was running at the snapshot: a priming's steps fill the catheter, they do not reach the patient.
     */
    void restore(long recordedMicrosteps, BigInteger drug, long unassigned, BigInteger patient, long deadVolumeFilled,
            List<DoseWindow.Step> hours, long deliveredMicrosteps, Concentration counting, Purpose purpose, long nowNanos) {
        this.accountedMicrosteps = recordedMicrosteps;
        this.drugBillionths = drug;
        this.unassignedPl = unassigned;
        this.patientBillionths = patient;
        this.deadVolumeFilledPl = Math.max(0, Math.min(deadVolumePl, deadVolumeFilled));
        settleDeadVolume();
        this.patientByHour.restore(hours);
        book(deliveredMicrosteps, counting, purpose, nowNanos);
    }

    /** Less than a microstep left to fill is full: as full as whole microsteps can make it (0.2mL is 2783.4 of them). */
    private void settleDeadVolume() {
        if (deadVolumePl - deadVolumeFilledPl < perMicrostep.picolitres()) {
            deadVolumeFilledPl = deadVolumePl;
        }
    }

    /** The dead volume is taken to be full: after the pump lost its memory, the safe side against priming into a patient. */
    void assumeDeadVolumeFull() {
        deadVolumeFilledPl = deadVolumePl;
    }

    BigInteger drugBillionths() {
        return drugBillionths;
    }

    long unassignedPl() {
        return unassignedPl;
    }

    BigInteger patientBillionths() {
        return patientBillionths;
    }

    long deadVolumeFilledPl() {
        return deadVolumeFilledPl;
    }

    /** The dead volume not yet filled: what a priming may push with the catheter connected. */
    Volume deadVolumeLeft() {
        return new Volume(deadVolumePl - deadVolumeFilledPl);
    }

    DoseWindow patientByHour() {
        return patientByHour;
    }

    /** Drug out of the syringe so far, rounded down to the nanogram. */
    Dose drug() {
        return new Dose(drugBillionths.divide(BILLION).longValueExact());
    }

    /** Drug that reached the patient so far, rounded down to the nanogram. */
    Dose patientDrug() {
        return new Dose(patientBillionths.divide(BILLION).longValueExact());
    }

    /** Drug that reached the patient in the 24 h before {@code nowNanos}, counted in five-minute steps (so up to 24 h 5 min), rounded up. */
    Dose patientDrugLast24h(long nowNanos) {
        BigInteger[] qr = patientByHour.lastDay(nowNanos).divideAndRemainder(BILLION);
        return new Dose(qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0));
    }

    private static BigInteger billionths(long pl, Concentration c) {
        return BigInteger.valueOf(pl).multiply(BigInteger.valueOf(c.nanogramsPerMl()));
    }
}
