package org.openitb.delivery;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Volume;

/**
 * A bolus (or priming) under way, as a value: what it is, when it runs, its own microsteps on top
 * of the basal, and what halts took from it. How it ended is worked out here, apart from the loop,
 * so "a bolus a halt cut into never says completed" (hazard U12) is a plain unit test.
 *
 * @param requestedMicrosteps its own count, on top of the basal
 * @param shortMicrosteps     what the plan lost to halts while it ran (dropped, never caught up)
 * @param disconnected        a priming with the catheter declared off the patient
 * @param deadVolumeLeft      for a priming: the dead volume left to fill when it started
 */
record RunningBolus(BolusKind kind, String description, long startNanos, long endNanos, long requestedMicrosteps,
        long shortMicrosteps, boolean disconnected, Volume deadVolumeLeft) {

    /** How a bolus ended: its microsteps that went out, and "completed", "incomplete" or "stopped". */
    record Ending(long deliveredMicrosteps, String outcome) {
    }

    /** The bolus's own share of the plan by {@code at}, in proportion to its time, before any loss. */
    long plannedBy(long at) {
        long span = endNanos - startNanos;
        long elapsed = Math.max(0, Math.min(at, endNanos) - startNanos);
        return BigInteger.valueOf(requestedMicrosteps).multiply(BigInteger.valueOf(elapsed))
                .divide(BigInteger.valueOf(span)).longValueExact();
    }

    /** The same bolus having lost {@code microsteps} more to a halt (a negative count loses nothing). */
    RunningBolus lost(long microsteps) {
        return new RunningBolus(kind, description, startNanos, endNanos, requestedMicrosteps, shortMicrosteps + Math.max(0, microsteps),
                disconnected, deadVolumeLeft);
    }

    /**
     * Its end at {@code at}: {@code ranItsCourse} when its time was up, else it was stopped;
     * {@code heldBackMicrosteps} is what a halt still in force as it ends holds back (dropped when the
     * halt clears). What went out is what was planned by then less what halts took; a bolus that ran
     * its course short of what was asked is "incomplete", never "completed".
     */
    Ending end(long at, boolean ranItsCourse, long heldBackMicrosteps) {
        long planned = plannedBy(at);
        long delivered = planned - Math.min(planned, shortMicrosteps + Math.max(0, heldBackMicrosteps));
        String outcome = !ranItsCourse ? "stopped" : delivered < requestedMicrosteps ? "incomplete" : "completed";
        return new Ending(delivered, outcome);
    }

    /** The journal's details of an ending, with the volume pushed at {@code perMicrostep}. */
    Map<String, Object> details(Ending ending, Volume perMicrostep) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind.name().toLowerCase(Locale.ROOT));
        details.put("bolus", description);
        details.put("requestedMicrosteps", requestedMicrosteps);
        details.put("deliveredMicrosteps", ending.deliveredMicrosteps());
        Volume pushed = new Volume(Math.multiplyExact(ending.deliveredMicrosteps(), perMicrostep.picolitres()));
        details.put("volume", pushed.toString());
        if (kind == BolusKind.PRIMING && !disconnected) {
            // What went beyond the dead volume went into the patient, and counts as drug delivered for every limit.
            details.put("beyondDeadVolume", new Volume(Math.max(0, pushed.picolitres() - deadVolumeLeft.picolitres())).toString());
        }
        return details;
    }
}
