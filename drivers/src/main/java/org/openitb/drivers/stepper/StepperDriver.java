package org.openitb.drivers.stepper;

import java.util.Optional;

/**
 * A step/direction motor driver: one pulse is one microstep. It knows microsteps and timing, never
 * doses. Pulses are emitted by one thread (the dose scheduler); {@link #safeState} may come from any
 * thread (the watchdog, shutdown) and always wins.
 */
public interface StepperDriver {

    /** The chip, with its timing minimums. */
    StepperChip chip();

    /** Microsteps per full step, as set on the select pins. */
    int microsteps();

    /** Energises the motor; the first pulse after it waits out the chip's enable setup time. */
    void enable();

    /** De-energises the motor in the normal course (idle, suspended). */
    void disable();

    /** Whether the motor is energised. */
    boolean enabled();

    /** Sets DIR; the next pulse waits out the chip's setup time, and DIR waits out the hold time of the last pulse. */
    void direction(Direction direction);

    /** Current DIR. */
    Direction direction();

    /**
     * Emits one microstep: STEP high for at least the chip's minimum, then low, never sooner after
     * the previous pulse than the chip's minimum low time.
     *
     * @throws MotorFaultException   if a fault is latched
     * @throws IllegalStateException if the motor is not enabled (a scheduler bug)
     */
    void step();

    /** Signed microsteps emitted since start, forward positive. */
    long position();

    /**
     * Drives the safe state (ENABLE inactive, STEP low) and latches a fault: {@link #step()} and
     * {@link #enable()} refuse until {@link #rearm(String)}. Safe to call from any thread, any number of times.
     */
    void safeState(String reason);

    /** The latched fault, if any. */
    Optional<String> fault();

    /**
     * Clears a latched fault once its cause is dealt with; the motor stays disabled until
     * {@link #enable()}. {@code by} says who cleared it, for the log ("an automatic retry", "the operator").
     */
    void rearm(String by);
}
