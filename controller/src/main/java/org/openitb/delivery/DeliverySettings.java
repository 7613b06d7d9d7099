package org.openitb.delivery;

import java.time.Duration;
import java.util.Objects;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Volume;

/**
 * Delivery settings from the config that are not drug limits.
 *
 * @param primingRate how fast priming pushes
 * @param primingMax  the largest priming volume at once
 * @param primingMaxPerDay the most primed in any 24 h
 * @param maxSuspend  the longest timed suspension
 * @param catheterVolume the dead volume from the syringe to the catheter's tip: bridged at the old concentration after a
 *                    change, and all a priming may push while the catheter is connected
 * @param crashUncertainty the most the write-ahead record may count ahead of the steps emitted: what a crash may book
 *                    as delivered that was not ({@code store.max-crash-uncertainty})
 */
public record DeliverySettings(FlowRate primingRate, Volume primingMax, Volume primingMaxPerDay, Duration maxSuspend, Volume catheterVolume,
        Volume crashUncertainty) {
    public DeliverySettings {
        Objects.requireNonNull(crashUncertainty, "crashUncertainty");
        Objects.requireNonNull(catheterVolume, "catheterVolume");
        Objects.requireNonNull(primingRate, "primingRate");
        Objects.requireNonNull(primingMax, "primingMax");
        Objects.requireNonNull(primingMaxPerDay, "primingMaxPerDay");
        Objects.requireNonNull(maxSuspend, "maxSuspend");
    }

    /** {@link #crashUncertainty} in whole microsteps of {@code mechanics} (at least one). */
    public long crashUncertaintyMicrosteps(PumpMechanics mechanics) {
        return Math.max(1, crashUncertainty.picolitres() / mechanics.volumePerMicrostep().picolitres());
    }
}
