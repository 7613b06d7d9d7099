package org.openitb.delivery;

import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Therapy;

/**
 * Delivery's state as one value: the therapy (program, boluses and primings on record, suspension),
 * the plan the scheduler tracks, the bolus and the catheter bridge under way, when the basal next
 * steps and the next periodic bolus is due, and a priming's late tail. The dose loop holds one and
 * replaces it whole; nothing else in it changes what is delivered.
 *
 * @param nextBasalChangeNanos when a flex schedule next changes the basal rate (monotonic), else {@code Long.MAX_VALUE}
 * @param nextPeriodicNanos    when the next periodic bolus is due (monotonic), else {@code Long.MAX_VALUE}
 * @param periodicWaiting      a periodic bolus came due while another bolus or a bridge ran; it starts when that one ends
 * @param primingTail          a priming that ended (by time or by a stop) with steps still owed by the plan: they go out
 *                             late and are still that priming's, not delivery to the patient
 */
record DeliveryState(Therapy therapy, DeliveryPlan plan, Optional<RunningBolus> bolus, Optional<Bridge> bridge, long nextBasalChangeNanos,
        long nextPeriodicNanos, boolean periodicWaiting, Optional<PrimingTail> primingTail) {

    /** The steps up to {@code untilMicrostep} are still the priming's that ended, for {@code purpose}. */
    record PrimingTail(long untilMicrostep, DeliveryLedger.Purpose purpose) {
    }

    DeliveryState {
        Objects.requireNonNull(therapy, "therapy");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(bolus, "bolus");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(primingTail, "primingTail");
    }

    /** Nothing under way and nothing scheduled: {@code therapy} and a plan to start from. */
    static DeliveryState start(Therapy therapy, DeliveryPlan plan) {
        return new DeliveryState(therapy, plan, Optional.empty(), Optional.empty(), Long.MAX_VALUE, Long.MAX_VALUE, false, Optional.empty());
    }

    DeliveryState withTherapy(Therapy next) {
        return new DeliveryState(next, plan, bolus, bridge, nextBasalChangeNanos, nextPeriodicNanos, periodicWaiting, primingTail);
    }

    DeliveryState withPlan(DeliveryPlan next) {
        return new DeliveryState(therapy, next, bolus, bridge, nextBasalChangeNanos, nextPeriodicNanos, periodicWaiting, primingTail);
    }

    DeliveryState withBolus(Optional<RunningBolus> next) {
        return new DeliveryState(therapy, plan, next, bridge, nextBasalChangeNanos, nextPeriodicNanos, periodicWaiting, primingTail);
    }

    DeliveryState withBridge(Optional<Bridge> next) {
        return new DeliveryState(therapy, plan, bolus, next, nextBasalChangeNanos, nextPeriodicNanos, periodicWaiting, primingTail);
    }

    DeliveryState withNextBasalChange(long nanos) {
        return new DeliveryState(therapy, plan, bolus, bridge, nanos, nextPeriodicNanos, periodicWaiting, primingTail);
    }

    DeliveryState withNextPeriodic(long nanos) {
        return new DeliveryState(therapy, plan, bolus, bridge, nextBasalChangeNanos, nanos, periodicWaiting, primingTail);
    }

    DeliveryState withPeriodicWaiting(boolean waiting) {
        return new DeliveryState(therapy, plan, bolus, bridge, nextBasalChangeNanos, nextPeriodicNanos, waiting, primingTail);
    }

    DeliveryState withPrimingTail(Optional<PrimingTail> next) {
        return new DeliveryState(therapy, plan, bolus, bridge, nextBasalChangeNanos, nextPeriodicNanos, periodicWaiting, next);
    }

    /** What the steps emitted now are for: a priming (connected or not) or delivery to the patient. */
    DeliveryLedger.Purpose purpose() {
        if (bolus.isEmpty() || bolus.get().kind() != BolusKind.PRIMING) {
            return DeliveryLedger.Purpose.DELIVERY;
        }
        return bolus.get().disconnected() ? DeliveryLedger.Purpose.PRIMING_DISCONNECTED : DeliveryLedger.Purpose.PRIMING;
    }

    /**
     * Why nothing extra (a bolus, a connected priming) can start now: suspended, halted (for
     * {@code haltReason}), a bolus under way (its end told by {@code at}), or the catheter bridged
     * (the concentration reaching the patient is in transition: no extra drug until it settles).
     */
    Optional<String> busy(Optional<String> haltReason, LongFunction<String> at) {
        if (therapy.suspension().isPresent()) {
            return Optional.of("delivery is suspended; resume first");
        }
        Optional<String> haltedOrBolus = busyForDisconnectedPriming(haltReason, at);
        if (haltedOrBolus.isPresent() || bridge.isEmpty()) {
            return haltedOrBolus;
        }
        return Optional.of("the catheter is being bridged after a change of concentration; boluses wait until it ends");
    }

    /** Why a priming with the catheter disconnected cannot start now: halted, or a bolus under way (suspended is how it is done). */
    Optional<String> busyForDisconnectedPriming(Optional<String> haltReason, LongFunction<String> at) {
        if (haltReason.isPresent()) {
            return Optional.of("delivery is halted (" + haltReason.get() + "); clear the cause first");
        }
        return bolus.map(b -> "a " + b.description() + " is under way until " + at.apply(b.endNanos()));
    }
}
