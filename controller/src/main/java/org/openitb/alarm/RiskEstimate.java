package org.openitb.alarm;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The withdrawal-risk estimate at one instant: an estimate, not a measurement.
 *
 * @param level                how far the level has fallen
 * @param fraction             the estimated drug level as a fraction of what the prescription keeps up (1.0 = on track)
 * @param etaNextLevelMinutes  minutes until the next level if delivery stays stopped; empty at critical
 */
public record RiskEstimate(RiskLevel level, double fraction, OptionalLong etaNextLevelMinutes) {

    public RiskEstimate {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(etaNextLevelMinutes, "etaNextLevelMinutes");
    }

    /** The fraction in whole percent, rounded down, for people. */
    public long percent() {
        return (long) Math.floor(fraction * 100);
    }

    /** One line for a person, labelled as the estimate it is. */
    public String describe() {
        return "withdrawal risk " + level.wire() + " (estimate: drug level ~" + percent() + "% of prescribed"
                + (etaNextLevelMinutes.isPresent() ? ", next level in ~" + etaNextLevelMinutes.getAsLong() + " min if delivery stays stopped" : "")
                + ")";
    }
}
