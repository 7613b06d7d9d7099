package org.openitb.delivery;

import java.time.Duration;
import java.util.Objects;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Volume;

/**
 * The delivery limits that are physics rather than pharmacology.
 *
 * @param volumePerMicrostep calibration
 * @param maxStepRateHz      the step-rate ceiling; programs may use half of it, the other half is for catching up
 * @param primingRate        how fast priming pushes
 * @param primingMax         the largest priming volume at once
 * @param primingMaxPerDay   the most primed in any 24 h
 * @param maxSuspend         the longest timed suspension
 * @param catheterVolume     the dead volume from the syringe to the catheter's tip: bridged at the old concentration
 *                           after a change, and all a priming may push while the catheter is connected
 * @param reservoir          when the reservoir is low, and how its switch is checked
 */
public record DeliveryOptions(Volume volumePerMicrostep, long maxStepRateHz, FlowRate primingRate, Volume primingMax,
        Volume primingMaxPerDay, Duration maxSuspend, Volume catheterVolume, ReservoirSettings reservoir) {

    /** Counts microsteps before any concentration is known (priming an empty pump); volume is the same in any unit. */
    static final Concentration PLACEHOLDER_CONCENTRATION = new Concentration(1_000);

    public DeliveryOptions {
        Objects.requireNonNull(volumePerMicrostep, "volumePerMicrostep");
        Objects.requireNonNull(primingRate, "primingRate");
        Objects.requireNonNull(primingMax, "primingMax");
        Objects.requireNonNull(primingMaxPerDay, "primingMaxPerDay");
        Objects.requireNonNull(maxSuspend, "maxSuspend");
        Objects.requireNonNull(catheterVolume, "catheterVolume");
        Objects.requireNonNull(reservoir, "reservoir");
        if (maxStepRateHz < 2) {
            throw new IllegalArgumentException("the step rate ceiling must be at least 2 Hz");
        }
    }

    /** The highest rate a program or bolus may ask for: half the ceiling, leaving room to catch up. */
    public long plannableStepRateHz() {
        return maxStepRateHz / 2;
    }
}
