package org.openitb.drivers.stepper;

/** Which way a microstep moves the plunger: forward dispenses, reverse retracts. */
public enum Direction {
    FORWARD,
    REVERSE;

    /** +1 for forward, -1 for reverse: the sign a step adds to the position. */
    public int sign() {
        return this == FORWARD ? 1 : -1;
    }
}
