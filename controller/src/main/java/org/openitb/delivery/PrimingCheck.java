package org.openitb.delivery;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Durations;
import org.openitb.therapy.Volume;

/**
 * A priming asked for, checked apart from the loop: a refusal, or the priming to start. Connected
 * to the patient it may push only what is left of the dead volume to fill: beyond it the drug goes
 * into the patient, unprescribed. A larger priming needs the catheter disconnected (declared), which
 * only a pump that delivers nothing may be: suspended or unprogrammed. Either way at most
 * {@code delivery.priming-max} at once and {@code delivery.priming-max-per-day} in any 24 h.
 */
final class PrimingCheck {

    private PrimingCheck() {
    }

    /**
     * What the pump is doing, as far as a priming cares.
     *
     * @param counted         whether a refill is on record (the pump can count the drug a priming pushes)
     * @param deadVolumeLeft  the dead volume not yet filled
     * @param delivering      a program delivers (not suspended): the catheter cannot be off the patient
     * @param primedLast24h   what primings pushed in the last 24 h
     * @param busy            why nothing can start now (halted, a bolus, a bridge), if so
     * @param plan            the plan in force
     */
    record Situation(boolean counted, Volume deadVolumeLeft, boolean delivering, Volume primedLast24h, Optional<String> busy,
            DeliveryPlan plan) {
        Situation {
            Objects.requireNonNull(deadVolumeLeft, "deadVolumeLeft");
            Objects.requireNonNull(primedLast24h, "primedLast24h");
            Objects.requireNonNull(busy, "busy");
            Objects.requireNonNull(plan, "plan");
        }
    }

    /** The priming to start: from {@code atNanos} for {@code durationNanos}, in {@code plan}, told as {@code description} and {@code after}. */
    record Start(String description, long atNanos, long durationNanos, long microsteps, DeliveryPlan plan, List<String> after,
            Volume deadVolumeLeft) {
        Start {
            after = List.copyOf(after);
        }
    }

    /** The priming of {@code volume} asked at {@code now}: its start, or why not (a refusal, one line). */
    static Checked<Start> check(Volume volume, boolean disconnected, Situation s, DeliveryOptions o, long now) {
        if (volume.picolitres() == 0) {
            return Checked.refused("priming 0mL moves nothing");
        }
        if (!s.counted()) {
            return Checked.refused("no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                    + " priming pushes drug, which the pump must be able to count");
        }
        Volume left = s.deadVolumeLeft();
        if (!disconnected && volume.compareTo(left) > 0) {
            // A full catheter has no dead volume "left": say it is full rather than "more than 0.000mL".
            String over = left.equals(Volume.ZERO)
                    ? ": the catheter is full already (catheter.volume " + o.catheterVolume() + "), so all of it would go into the patient"
                    : " is more than the " + left.toDisplayString() + " of dead volume left to fill (catheter.volume " + o.catheterVolume()
                            + "); beyond it the drug goes into the patient";
            return Checked.refused("priming " + volume + " with the catheter connected" + over + ". To prime more, suspend delivery,"
                    + " disconnect the catheter from the patient and prime with --disconnected; hard limits cannot be overridden");
        }
        if (disconnected && s.delivering()) {
            return Checked.refused("a program is delivering: the catheter cannot be disconnected from the patient while it does;"
                    + " suspend first (and connect it again before resuming)");
        }
        if (volume.compareTo(o.primingMax()) > 0) {
            return Checked.refused("priming " + volume + " is more than the limit of " + o.primingMax()
                    + " at once (delivery.priming-max); hard limits cannot be overridden");
        }
        Volume primed = new Volume(s.primedLast24h().picolitres() + volume.picolitres());
        if (primed.compareTo(o.primingMaxPerDay()) > 0) {
            return Checked.refused("priming " + volume + " would bring primings in the last 24 h to " + primed + "; the limit is "
                    + o.primingMaxPerDay() + " (delivery.priming-max-per-day); hard limits cannot be overridden");
        }
        if (s.busy().isPresent()) {
            return Checked.refused(s.busy().get());
        }
        // duration = volume / rate, rounded up to the nanosecond
        BigInteger[] qr = BigInteger.valueOf(volume.picolitres()).multiply(BigInteger.valueOf(3_600_000_000_000L))
                .divideAndRemainder(BigInteger.valueOf(o.primingRate().picolitresPerHour()));
        long durationNanos = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        long at = Math.max(now, s.plan().startNanos()); // the plan's bolus and the running one start and end together
        DeliveryPlan next = s.plan().withVolumeBolus(at, volume, durationNanos);
        Optional<String> tooFast = StepRate.refusal(next.microstepsPerSecondAt(now), o, "priming at " + o.primingRate());
        if (tooFast.isPresent()) {
            return Checked.refused(tooFast.get());
        }
        String description = "priming " + volume + " at " + o.primingRate() + (disconnected ? ", catheter disconnected" : "");
        Volume perMicrostep = o.volumePerMicrostep();
        List<String> after = new ArrayList<>(List.of(description,
                "takes " + Durations.format(Duration.ofNanos(durationNanos - durationNanos % 1_000_000_000L)),
                (volume.picolitres() + perMicrostep.picolitres() / 2) / perMicrostep.picolitres() + " microsteps of " + perMicrostep));
        if (disconnected) {
            after.add("the catheter is DISCONNECTED from the patient: what is pushed reaches no one");
            after.add("connect it to the patient again before delivery resumes");
        } else {
            after.add("fills " + volume + " of the " + left.toDisplayString() + " of dead volume left; nothing reaches the patient");
        }
        after.add("primed in the last 24 h: " + primed + " of " + o.primingMaxPerDay() + " (delivery.priming-max-per-day)");
        return Checked.accepted(new Start(description, at, durationNanos,
                volume.picolitres() / perMicrostep.picolitres(), next, after, left));
    }

    /** A refusal (one line) or a start, exactly one of them. */
}
