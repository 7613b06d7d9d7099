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
 */
public record DeliverySettings(FlowRate primingRate, Volume primingMax, Duration maxSuspend) {
    public DeliverySettings {
        Objects.requireNonNull(primingRate, "primingRate");
        Objects.requireNonNull(primingMax, "primingMax");
        Objects.requireNonNull(maxSuspend, "maxSuspend");
    }
}
