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
 * @param maxSuspend  the longest timed suspension
 * @param catheterVolume what the catheter holds: bridged at the old concentration after a change
 */
public record DeliverySettings(FlowRate primingRate, Volume primingMax, Duration maxSuspend, Volume catheterVolume) {
    public DeliverySettings {
        Objects.requireNonNull(catheterVolume, "catheterVolume");
        Objects.requireNonNull(primingRate, "primingRate");
        Objects.requireNonNull(primingMax, "primingMax");
        Objects.requireNonNull(maxSuspend, "maxSuspend");
    }
}
