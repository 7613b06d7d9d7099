package org.openitb.reservoir;

import java.time.Duration;
import java.util.Objects;
import org.openitb.therapy.Volume;

/**
 * When the reservoir counts as low, and how its level switch is checked against the volume model.
 *
 * @param lowVolume         below this volume the reservoir is low
 * @param lowDays           with fewer days of delivery left than this at the rate in force, it is low too
 * @param switchLevel       the volume at which the level switch trips
 * @param discrepancyMargin switch and model disagreeing by more than this is a discrepancy
 */
public record ReservoirSettings(Volume lowVolume, Duration lowDays, Volume switchLevel, Volume discrepancyMargin) {
    public ReservoirSettings {
        Objects.requireNonNull(lowVolume, "lowVolume");
        Objects.requireNonNull(lowDays, "lowDays");
        Objects.requireNonNull(switchLevel, "switchLevel");
        Objects.requireNonNull(discrepancyMargin, "discrepancyMargin");
    }
}
