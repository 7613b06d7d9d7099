package org.openitb.sim;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;

/**
 * The catheter of the simulated bench: it holds its dead volume as it is filled, first in first
 * out, so a microstep pushed in at the syringe's concentration pushes the oldest one out of the
 * tip, into the patient while it is connected, onto the bench (a vessel, a balance) while it is
 * not. It starts full of saline (a primed line, no drug) unless {@link #empty} says it is new.
 * Confined to the bench's lock.
 */
final class Catheter {

    private final long volumeMicrosteps;
    private final long plPerMicrostep;
    /** From the syringe end to the tip: runs of microsteps of one concentration, {count, ng/mL}. */
    private final ArrayDeque<long[]> contents = new ArrayDeque<>();
    private long fill;
    private boolean connected = true;
    private long toPatient;
    private long outOfTip;
    /** Drug that left the tip into the patient, 10^-9 ng (pL times ng/mL). */
    private BigInteger patientBillionths = BigInteger.ZERO;

    Catheter(long volumeMicrosteps, long plPerMicrostep) {
        this.volumeMicrosteps = volumeMicrosteps;
        this.plPerMicrostep = plPerMicrostep;
        if (volumeMicrosteps > 0) {
            contents.add(new long[] {volumeMicrosteps, 0});
            fill = volumeMicrosteps;
        }
    }

    /** A new catheter: empty, so the first microsteps fill it and nothing leaves the tip until it is full. */
    void empty() {
        contents.clear();
        fill = 0;
    }

    void connect(boolean on) {
        connected = on;
    }

    boolean connected() {
        return connected;
    }

    /** The volume not yet filled, pL. */
    long emptyPl() {
        return (volumeMicrosteps - fill) * plPerMicrostep;
    }

    /**
     * One microstep of solution at {@code ngPerMl} in at the syringe end; returns whether one left
     * the tip (none while the dead volume fills).
     */
    boolean push(long ngPerMl) {
        long[] last = contents.peekLast();
        if (last != null && last[1] == ngPerMl) {
            last[0]++;
        } else {
            contents.addLast(new long[] {1, ngPerMl});
        }
        fill++;
        if (fill <= volumeMicrosteps) {
            return false;
        }
        long[] first = contents.peekFirst();
        long out = first[1];
        if (--first[0] == 0) {
            contents.removeFirst();
        }
        fill--;
        outOfTip++;
        if (connected) {
            toPatient++;
            patientBillionths = patientBillionths.add(BigInteger.valueOf(plPerMicrostep * out));
        }
        return true;
    }

    /** Microsteps that left the tip into the patient. */
    long toPatient() {
        return toPatient;
    }

    /** Microsteps that left the tip, to the patient or onto the bench. */
    long outOfTip() {
        return outOfTip;
    }

    /** Drug that left the tip into the patient, ng (to 10^-9). */
    BigDecimal drugToPatientNg() {
        return new BigDecimal(patientBillionths, 9);
    }

    /** Takes on {@code previous}'s contents, connection and counts: the same catheter under a restarted pump. */
    void carryOver(Catheter previous) {
        contents.clear();
        previous.contents.forEach(run -> contents.addLast(run.clone()));
        fill = previous.fill;
        connected = previous.connected;
        toPatient = previous.toPatient;
        outOfTip = previous.outOfTip;
        patientBillionths = previous.patientBillionths;
    }
}
