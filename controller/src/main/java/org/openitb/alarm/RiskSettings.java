package org.openitb.alarm;

import java.time.Duration;
import java.util.Objects;
import org.openitb.therapy.Percent;

/**
 * The withdrawal-risk estimate's parameters: the drug's elimination half-life and the fractions of
 * the prescribed level below which the risk is elevated, high and critical (each below the last).
 */
public record RiskSettings(Duration halfLife, Percent elevatedBelow, Percent highBelow, Percent criticalBelow) {

    public RiskSettings {
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(elevatedBelow, "elevatedBelow");
        Objects.requireNonNull(highBelow, "highBelow");
        Objects.requireNonNull(criticalBelow, "criticalBelow");
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the half-life must be positive, not " + halfLife);
        }
        if (elevatedBelow.compareTo(highBelow) <= 0 || highBelow.compareTo(criticalBelow) <= 0 || criticalBelow.basisPoints() == 0) {
            throw new IllegalArgumentException("the thresholds must fall from elevated to high to critical, above 0%: "
                    + elevatedBelow + ", " + highBelow + ", " + criticalBelow);
        }
    }

    /** The fraction of the prescribed level below which {@code level} begins; NONE has none. */
    double below(RiskLevel level) {
        return switch (level) {
            case NONE -> Double.POSITIVE_INFINITY;
            case ELEVATED -> elevatedBelow.basisPoints() / 10_000.0;
            case HIGH -> highBelow.basisPoints() / 10_000.0;
            case CRITICAL -> criticalBelow.basisPoints() / 10_000.0;
        };
    }

    /** The level of {@code fraction} of the prescribed level. */
    RiskLevel levelOf(double fraction) {
        RiskLevel level = RiskLevel.NONE;
        for (RiskLevel l : RiskLevel.values()) {
            if (fraction < below(l)) {
                level = l;
            }
        }
        return level;
    }
}
