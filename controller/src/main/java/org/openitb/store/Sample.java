package org.openitb.store;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One line of the pump's record over time, taken every {@link #PERIOD_MINUTES} minutes of pump
 * time so that a report can draw a week later what was prescribed, what went out, what was left
 * and what the withdrawal-risk estimate said. Amounts are whole ng, pL and ng/day, as the counts are.
 *
 * @param at                   wall time of the sample
 * @param state                idle, delivering, suspended or halted
 * @param deliveredNg          drug pushed out of the syringe so far, priming included, ng
 * @param patientNg            of that, drug that reached the patient so far, ng
 * @param prescribedNgPerDay   the prescription's average daily rate in force (basal and periodic boluses), ng/day; 0 without one
 * @param concentrationNgPerMl the reservoir's concentration, ng/mL, once known
 * @param reservoirPl          volume left in the reservoir, pL
 * @param hoursToEmpty         at the rate in force, when it delivers anything
 * @param riskLevel            the withdrawal-risk estimate's level: none, elevated, high or critical
 * @param riskPercent          the estimated drug level in percent of what the prescription keeps up, when one is prescribed
 * @param clockSet             false when the kernel said the wall clock was not synchronised (a Pi booted without its time
 *                             source yet): then {@code at} is not to be believed
 */
public record Sample(Instant at, String state, long deliveredNg, long patientNg, long prescribedNgPerDay,
        OptionalLong concentrationNgPerMl, long reservoirPl, OptionalDouble hoursToEmpty, String riskLevel, OptionalLong riskPercent,
        boolean clockSet) {

    /** Minutes of pump time between samples: a week is 2 016 rows, a rate change shows within one. */
    public static final int PERIOD_MINUTES = 5;
    /** Samples kept at most, the oldest going first: a year and a bit at one every five minutes. */
    public static final int ROW_LIMIT = 120_000;
    /** Samples waiting for the disk at most; beyond, they are dropped (a report shows the gap). */
    public static final int QUEUE_LIMIT = 1_000;

    private static final Set<String> STATES = Set.of("idle", "delivering", "suspended", "halted");
    private static final Set<String> LEVELS = Set.of("none", "elevated", "high", "critical");

    public Sample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(concentrationNgPerMl, "concentrationNgPerMl");
        Objects.requireNonNull(hoursToEmpty, "hoursToEmpty");
        Objects.requireNonNull(riskPercent, "riskPercent");
        if (!STATES.contains(state) || !LEVELS.contains(riskLevel)) {
            throw new IllegalArgumentException("unknown state or risk level: " + state + ", " + riskLevel);
        }
        if (deliveredNg < 0 || patientNg < 0 || patientNg > deliveredNg || prescribedNgPerDay < 0 || reservoirPl < 0) {
            throw new IllegalArgumentException("sample amounts must not be negative, nor the patient's more than delivered: " + deliveredNg
                    + " ng, " + patientNg + " ng, " + prescribedNgPerDay + " ng/day, " + reservoirPl + " pL");
        }
    }
}
