package org.openitb.delivery;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/**
 * The catheter bridged after a change of concentration: it still holds the old solution, so the
 * plan keeps counting in the old concentration until the catheter's volume has gone through
 * (microstep {@code untilMicrostep}), then counts in {@code to}. Without it the dose reaching the
 * patient would jump by the ratio of the two concentrations for as long as the catheter takes to flush.
 */
record Bridge(long untilMicrostep, Concentration to) {

    Bridge {
        Objects.requireNonNull(to, "to");
    }

    /**
     * The bridge for a catheter of {@code catheter} at {@code perMicrostep}, from {@code delivered}
     * on: the catheter's volume in whole microsteps, rounded up (the last partial one still carries
     * old solution). None for a catheter of no volume: the new concentration counts at once.
     */
    static Optional<Bridge> across(Volume catheter, Volume perMicrostep, long delivered, Concentration to) {
        long microsteps = BigInteger.valueOf(catheter.picolitres()).add(BigInteger.valueOf(perMicrostep.picolitres() - 1))
                .divide(BigInteger.valueOf(perMicrostep.picolitres())).longValueExact();
        return microsteps == 0 ? Optional.empty() : Optional.of(new Bridge(Math.addExact(delivered, microsteps), to));
    }

    /** Microsteps from {@code delivered} until the old solution is through (never negative). */
    long left(long delivered) {
        return Math.max(0, untilMicrostep - delivered);
    }

    /** Whether the old solution is through at {@code delivered}. */
    boolean through(long delivered) {
        return delivered >= untilMicrostep;
    }

    /** For the status: what is being bridged, counted at {@code counting}, from {@code delivered}. */
    String describe(Concentration counting, long delivered) {
        return "bridging the catheter at " + counting + ": " + left(delivered) + " microsteps to go, then " + to;
    }
}
