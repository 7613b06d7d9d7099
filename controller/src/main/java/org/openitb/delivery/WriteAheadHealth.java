package org.openitb.delivery;

/**
 * How well the write-ahead record keeps ahead of the dose loop: what a crash now would leave
 * uncertain, and how slow the disk is. Steps are never held back for the disk; a step that goes
 * out before the record covers it is counted here instead (and booked on the safe side after a crash).
 * A few at the start of a faster plan are expected (its first stretch is asked for as it begins);
 * more than the bound beyond the record means the disk is too slow for the bound.
 *
 * @param commitLatencyNanos      the slowest recent commit of the record, real time
 * @param boundMicrosteps         the configured most the record may reserve ahead of the steps emitted
 * @param reservedAheadMicrosteps counted by the record but not emitted yet: a crash now counts them as delivered
 * @param uncoveredMicrosteps     emitted beyond the record now: a crash now would not know of them
 * @param uncoveredSteps          steps emitted before the record covered them, since start
 * @param uncoveredPeakMicrosteps the most that were beyond the record at once, since start
 * @param beyondBoundSteps        steps that went out more than the bound beyond the record: what a crash then would leave
 *                                uncertain was more than {@code store.max-crash-uncertainty} (the disk is too slow for it)
 */
public record WriteAheadHealth(long commitLatencyNanos, long boundMicrosteps, long reservedAheadMicrosteps, long uncoveredMicrosteps,
        long uncoveredSteps, long uncoveredPeakMicrosteps, long beyondBoundSteps) {

    /** Nothing is recorded (a pump without a store). */
    public static final WriteAheadHealth NONE = new WriteAheadHealth(0, 0, 0, 0, 0, 0, 0);
}
