package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.BolusRecord;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.Volume;

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

    /** The state after a bolus ended, the bolus, and how it ended. */
    record BolusEnd(DeliveryState next, RunningBolus bolus, RunningBolus.Ending ending) {
    }

    /**
     * The running bolus ended at {@code at}, having run its course or been stopped, with
     * {@code delivered} microsteps out and the motor {@code halted} or not. A priming's steps still
     * owed go out late as that priming's tail; what a halt in force holds back counts against the
     * bolus ({@link RunningBolus#end}); a periodic bolus that waited for this one is due at its end.
     */
    BolusEnd endBolus(long at, boolean ranItsCourse, long delivered, boolean halted) {
        RunningBolus done = bolus.orElseThrow();
        DeliveryState s = this;
        if (done.kind() == BolusKind.PRIMING) {
            long owed = plan.target(Math.max(at, plan.startNanos())) - delivered;
            if (owed > 0) {
                s = s.withPrimingTail(Optional.of(new PrimingTail(delivered + owed, purpose())));
            }
        }
        s = s.withBolus(Optional.empty());
        if (s.plan.bolusRunningAt(at)) {
            s = s.withPlan(s.plan.withoutBolus(Math.max(at, s.plan.startNanos())));
        }
        // Halted as it ends: what the halt holds back now is dropped when it clears.
        long heldBack = halted ? s.plan.target(Math.max(at, s.plan.startNanos())) - delivered : 0;
        RunningBolus.Ending ending = done.end(at, ranItsCourse, heldBack);
        if (s.periodicWaiting && s.bridge.isEmpty()) {
            s = s.withPeriodicWaiting(false).withNextPeriodic(at); // a periodic bolus was waiting for this one to end
        }
        return new BolusEnd(s, done, ending);
    }

    /**
     * The basal rate the program wants at {@code wall} (the wall time of {@code now}, in {@code zone})
     * set from {@code now} if it differs, and when it next changes; no rate change while there is no
     * program or delivery is suspended.
     */
    DeliveryState withBasalAt(long now, Instant wall, ZoneId zone) {
        Optional<Program> program = delivering();
        if (program.isEmpty()) {
            return withNextBasalChange(Long.MAX_VALUE);
        }
        DailyRate rate = program.get().basalRateAt(wall.atZone(zone));
        DeliveryState s = rate.equals(plan.basal()) ? this : withPlan(plan.withBasal(now, rate));
        return s.withBasalChangeAfter(now, wall, zone);
    }

    /** When the program's basal rate next changes after {@code now} (at {@code wall} in {@code zone}). */
    DeliveryState withBasalChangeAfter(long now, Instant wall, ZoneId zone) {
        return withNextBasalChange(delivering().flatMap(p -> p.nextBasalChange(wall, zone))
                .map(change -> now + Duration.between(wall, change).toNanos())
                .orElse(Long.MAX_VALUE));
    }

    /** The program whose basal rate is in force: the running one, unless delivery is suspended. */
    private Optional<Program> delivering() {
        return therapy.suspension().isPresent() ? Optional.empty() : therapy.program();
    }

    /** The plan from {@code at} on, starting from the {@code delivered} microsteps out: what was owed (a late priming's tail too) is dropped. */
    DeliveryState rebased(long at, long delivered) {
        return withPrimingTail(Optional.empty()).withPlan(plan.rebased(at, delivered));
    }

    /**
     * A bolus of {@code dose} over {@code over} started at {@code at}: the plan carries it on top of
     * the basal, it runs as the microsteps that carry its dose, and the 24 h limits remember it.
     */
    DeliveryState bolusStarted(long at, BolusKind kind, Dose dose, Duration over, String description) {
        DeliveryPlan next = plan.withBolus(at, dose, over.toNanos());
        return withPlan(next)
                .withBolus(Optional.of(new RunningBolus(kind, description, at, at + over.toNanos(), next.microstepsOf(dose), 0, false,
                        Volume.ZERO)))
                .withTherapy(therapy.withBolus(new BolusRecord(at, dose, kind)));
    }

    /** A periodic bolus came due: the state after it, and the bolus if it started (it waits for a bolus or bridge under way). */
    record Periodic(DeliveryState next, Optional<RunningBolus> started) {
    }

    /**
     * The running program's periodic bolus, due at {@link #nextPeriodicNanos}, taken up at {@code now}:
     * started on the program's schedule however late it is taken up, or made to wait for the bolus or
     * bridge under way; nothing without a periodic bolus or while suspended.
     */
    Periodic periodicDue() {
        Optional<PeriodicBolus> p = therapy.program().flatMap(Program::periodicBolus);
        if (p.isEmpty() || therapy.suspension().isPresent()) {
            return new Periodic(withNextPeriodic(Long.MAX_VALUE), Optional.empty());
        }
        if (bolus.isPresent() || bridge.isPresent()) {
            return new Periodic(withNextPeriodic(Long.MAX_VALUE).withPeriodicWaiting(true), Optional.empty());
        }
        long due = nextPeriodicNanos;
        Dose dose = p.get().dose();
        DeliveryState started = bolusStarted(Math.max(due, plan.startNanos()), BolusKind.PERIODIC, dose, p.get().over(),
                "periodic bolus " + dose + " over " + Durations.format(p.get().over()));
        // on the program's schedule, however late this one came
        return new Periodic(started.withNextPeriodic(started.therapy.nextPeriodicFrom(due + 1)), started.bolus);
    }

    /** Suspended at {@code now} (until {@code until}, if timed): nothing delivered, nothing scheduled. A running bolus is ended first. */
    DeliveryState suspendedAt(long now, OptionalLong until) {
        return withPlan(plan.withBasal(Math.max(now, plan.startNanos()), DailyRate.ZERO))
                .withTherapy(therapy.suspended(now, until))
                .withNextBasalChange(Long.MAX_VALUE)
                .withNextPeriodic(Long.MAX_VALUE)
                .withPeriodicWaiting(false);
    }

    /**
     * Delivering again from {@code at} at the programmed rate of the wall time then ({@code wallAt},
     * in {@code zone}), from the {@code delivered} microsteps out: nothing of the suspended time is made up.
     */
    DeliveryState resumedAt(long at, long delivered, LongFunction<Instant> wallAt, ZoneId zone) {
        long from = Math.max(at, plan.startNanos());
        DeliveryState s = withTherapy(therapy.resumed()).rebased(from, delivered).withBasalAt(from, wallAt.apply(from), zone);
        return s.withNextPeriodic(s.therapy.nextPeriodicFrom(from));
    }

    /** The state after a change of what the syringe holds or delivers, and the catheter bridge it started, if one. */
    record Changed(DeliveryState next, Optional<Bridge> bridgeStarted) {
    }

    /**
     * Counting in {@code next} from {@code now}: at once when the catheter has no volume ({@code catheter}
     * at {@code perMicrostep}), else after a bridge of the catheter's volume from the {@code delivered} microsteps out.
     */
    Changed bridged(Concentration next, long now, long delivered, Volume catheter, Volume perMicrostep) {
        Optional<Bridge> started = Bridge.across(catheter, perMicrostep, delivered, next);
        if (started.isEmpty()) {
            return new Changed(withPlan(plan.withConcentration(Math.max(now, plan.startNanos()), next)), Optional.empty());
        }
        return new Changed(withBridge(started), started);
    }

    /**
     * {@code program} running from {@code now} (at {@code wall} in {@code zone}): counted at once in its
     * concentration if nothing was counted in a known one yet, else bridged if the catheter holds another
     * ({@link #bridged}); its rate, unless suspended (it stays suspended), and its periodic schedule.
     */
    Changed programmed(Program program, long now, Instant wall, ZoneId zone, long delivered, Volume catheter, Volume perMicrostep) {
        Concentration counting = plan.concentration();
        DeliveryState s = withTherapy(therapy.withProgram(program, now));
        Optional<Bridge> started = Optional.empty();
        if (counting.equals(DeliveryOptions.PLACEHOLDER_CONCENTRATION)) {
            // Nothing was counted in a known concentration yet: the catheter holds what the syringe holds.
            s = s.withPlan(s.plan.withConcentration(Math.max(now, s.plan.startNanos()), program.concentration()));
        } else if (!counting.equals(program.concentration()) && s.bridge.isEmpty()) {
            Changed c = s.bridged(program.concentration(), now, delivered, catheter, perMicrostep);
            s = c.next();
            started = c.bridgeStarted();
        }
        s = s.withBasalAt(now, wall, zone);
        boolean suspended = s.therapy.suspension().isPresent();
        if (suspended) {
            s = s.withPlan(s.plan.withBasal(now, DailyRate.ZERO));
        }
        return new Changed(s.withNextPeriodic(suspended ? Long.MAX_VALUE : s.therapy.nextPeriodicFrom(now)).withPeriodicWaiting(false), started);
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
