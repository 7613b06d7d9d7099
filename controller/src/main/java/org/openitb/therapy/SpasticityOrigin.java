package org.openitb.therapy;

/** Where the spasticity comes from; it sets how fast the daily dose may be titrated. */
public enum SpasticityOrigin {
    /** Spinal cord origin: titration steps of 10–30 % a day in the literature. */
    SPINAL,
    /** Cerebral origin: titration steps of 5–15 % a day. */
    CEREBRAL
}
