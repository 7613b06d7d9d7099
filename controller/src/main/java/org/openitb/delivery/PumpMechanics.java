package org.openitb.delivery;

import java.util.Objects;
import org.openitb.therapy.Frequency;
import org.openitb.therapy.Volume;

/**
 * What one microstep moves and how fast the motor may go.
 *
 * @param syringeCapacity    the reservoir's full volume
 * @param volumePerMicrostep calibration: solution pushed out by one microstep
 * @param maxStepRate        the highest step rate the scheduler may ever emit, catch-up included
 */
public record PumpMechanics(Volume syringeCapacity, Volume volumePerMicrostep, Frequency maxStepRate) {
    public PumpMechanics {
        Objects.requireNonNull(syringeCapacity, "syringeCapacity");
        Objects.requireNonNull(volumePerMicrostep, "volumePerMicrostep");
        Objects.requireNonNull(maxStepRate, "maxStepRate");
        if (volumePerMicrostep.picolitres() <= 0) {
            throw new IllegalArgumentException("a microstep must move some volume");
        }
        if (volumePerMicrostep.compareTo(syringeCapacity) >= 0) {
            throw new IllegalArgumentException("one microstep (" + volumePerMicrostep + ") cannot hold the whole syringe (" + syringeCapacity + ")");
        }
    }

    /** Microsteps from empty to full: the plunger's whole travel. */
    public long microstepsPerSyringe() {
        return syringeCapacity.picolitres() / volumePerMicrostep.picolitres();
    }
}
