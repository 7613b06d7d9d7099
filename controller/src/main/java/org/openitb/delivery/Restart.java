package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * A restart: when, after how long a gap (at least this long, unless {@code gapKnown}), the basal
 * dose missed in it (at least), the monotonic time it happened at, which names it, the bolus
 * it cut off (not resumed), if one ran, and the microsteps (and volume) that may or may not have
 * gone out before the stop: booked as delivered for the reservoir and the 24 h limits, not for the
 * withdrawal estimate.
 */
public record Restart(Instant at, Duration gap, Dose missed, boolean gapKnown, long sinceNanos, Optional<String> bolusCutOff,
        long uncertainMicrosteps, Volume uncertain) {

    public Restart {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(missed, "missed");
        Objects.requireNonNull(bolusCutOff, "bolusCutOff");
        Objects.requireNonNull(uncertain, "uncertain");
    }
}
