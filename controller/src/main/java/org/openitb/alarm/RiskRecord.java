package org.openitb.alarm;

import java.time.Instant;
import java.util.Objects;

/**
 * The withdrawal-risk estimate's two amounts (ng) at a wall instant, kept so a restart continues
 * the estimate instead of assuming the patient was at steady state. The store gives them no meaning.
 */
public record RiskRecord(Instant at, double levelNg, double referenceNg) {
    public RiskRecord {
        Objects.requireNonNull(at, "at");
        if (!Double.isFinite(levelNg) || !Double.isFinite(referenceNg) || levelNg < 0 || referenceNg < 0) {
            throw new IllegalArgumentException("risk amounts must be finite and not negative: " + levelNg + ", " + referenceNg);
        }
    }
}
