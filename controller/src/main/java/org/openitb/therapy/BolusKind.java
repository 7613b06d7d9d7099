package org.openitb.therapy;

/** Who or what started a bolus. */
public enum BolusKind {
    /** Ordered with the {@code bolus} verb. */
    CLINICIAN,
    /** Asked for by the patient within the patient-bolus policy. */
    PATIENT,
    /** Part of the running program. */
    PERIODIC,
    /** Fills the catheter; counted as volume, not as a dose to the patient's limits. */
    PRIMING,
    /** Flushes the old concentration out of the catheter after a concentration change. */
    BRIDGE
}
