package org.openitb.alarm;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.delivery.Interlocks;
import org.openitb.drivers.sensor.SensorHealth;

/**
 * What the supervisor sees at one tick, gathered by the input loop from the devices, the dose
 * loop's latest snapshot and the store.
 *
 * @param delivery         the dose loop's latest status
 * @param interlocks       what stops the motor, as the sensors say
 * @param sensors          each input's health, by name
 * @param annunciatorFault why the alarm signals cannot be driven, if they cannot
 * @param storageFreeMb    free space under the state directory, MiB, when known
 * @param brokerProblem    why the broker has been unreachable too long, if it has
 */
public record Observation(DeliveryStatus delivery, Set<Interlocks.Reason> interlocks, Map<String, SensorHealth> sensors,
        Optional<String> annunciatorFault, OptionalLong storageFreeMb, Optional<String> brokerProblem) {

    public Observation {
        Objects.requireNonNull(delivery, "delivery");
        interlocks = Set.copyOf(interlocks);
        sensors = Map.copyOf(sensors);
        Objects.requireNonNull(annunciatorFault, "annunciatorFault");
        Objects.requireNonNull(storageFreeMb, "storageFreeMb");
        Objects.requireNonNull(brokerProblem, "brokerProblem");
    }
}
