package org.openitb.drivers.stepper;

/** The stepper refused to move because a fault is latched; it is in its safe state (disabled, STEP low). */
public final class MotorFaultException extends RuntimeException {
    public MotorFaultException(String reason) {
        super(reason);
    }
}
