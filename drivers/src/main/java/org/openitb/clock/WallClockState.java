package org.openitb.clock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of the wall clock's trustworthiness. A Raspberry Pi has no clock battery: after a
 * power cut it starts from a saved or default time until NTP sets it, and a gap measured on that
 * clock across the cut means nothing.
 *
 * @param synchronised whether the system says the wall clock is set from a time source; empty if it cannot tell
 * @param sinceBoot    how long ago the machine started; empty if not known
 */
public record WallClockState(Optional<Boolean> synchronised, Optional<Duration> sinceBoot) {

    /** Nothing known: the wall clock is taken as it is. */
    public static final WallClockState UNKNOWN = new WallClockState(Optional.empty(), Optional.empty());

    public WallClockState {
        Objects.requireNonNull(synchronised, "synchronised");
        Objects.requireNonNull(sinceBoot, "sinceBoot");
    }

    /** Whether the system says the wall clock has not been set from a time source. */
    public boolean unsynchronised() {
        return synchronised.equals(Optional.of(false));
    }
}
