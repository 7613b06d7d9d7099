package org.openitb.therapy;

import java.time.Duration;
import java.util.Objects;

/**
 * What a patient may ask for with the bolus button (as with a patient therapy manager): a fixed
 * dose at a fixed speed, a lockout between requests, a count and a total per rolling 24 h. All of
 * them are hard limits. A dose of zero turns patient boluses off.
 */
public record PatientBolusPolicy(Dose dose, Duration over, Duration lockout, int maxPerDay, Dose maxDosePerDay) {

    public static final PatientBolusPolicy OFF =
            new PatientBolusPolicy(Dose.ZERO, Duration.ofMinutes(5), Duration.ofHours(1), 0, Dose.ZERO);

    public PatientBolusPolicy {
        Objects.requireNonNull(dose, "dose");
        Objects.requireNonNull(over, "over");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(maxDosePerDay, "maxDosePerDay");
        if (maxPerDay < 0) {
            throw new IllegalArgumentException("patient boluses per day cannot be negative");
        }
    }

    public boolean enabled() {
        return dose.nanograms() > 0 && maxPerDay > 0;
    }
}
