package org.openitb.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * What the dose loop is doing, as of one instant: published after every tick and command, read
 * by {@code status} from any thread.
 *
 * @param nanos               monotonic time of the snapshot
 * @param at                  wall time of the snapshot
 * @param mode                {@code none}, {@code continuous} or {@code flex}
 * @param state               {@code idle}, {@code delivering}, {@code suspended} or {@code halted}
 * @param haltReasons         why the motor is stopped, empty unless halted
 * @param basal               the basal rate in force now (zero when suspended)
 * @param concentration       of the reservoir, once known
 * @param bolus               the bolus under way, described, if any
 * @param bridge              the catheter flush after a change of concentration, described, if under way
 * @param deliveredMicrosteps microsteps emitted since start
 * @param idealMicrosteps     the plan's target now (equal to delivered within one microstep while on time)
 * @param deliveredDrug       drug in what was delivered
 * @param reservoir           volume left
 * @param hoursToEmpty        at the rate in force, if it delivers anything
 * @param lateness            step lateness so far
 * @param program             the running program, a line per item
 * @param revision            the therapy revision a preview is confirmed against
 * @param storage             why the pump's memory is not being kept, if it is not
 * @param lastRestart         the restart that began this run, if it was one
 * @param reservoirLow        why the reservoir is low, if it is
 * @param refillDue           when the reservoir becomes low at the rate in force
 * @param discrepancy         how the level switch and the volume model disagree, if they do
 * @param prescribed          the basal rate the program asks for now, even while suspended or halted (zero without a program)
 * @param plan                the plan the scheduler tracks, to tell the ideal at any later instant
 * @param suspendedSinceNanos when the suspension in force began (monotonic), if there is one
 * @param reservoirEmpty      the volume model says nothing is left to push
 * @param motorFault          why the stepper driver latched a fault, while it has one
 * @param bolusKind           what the bolus under way is for, if one is (priming fills the catheter, it doses no one)
 * @param patientDrug         drug that reached the patient: all delivered but what priming put into the dead volume or
 *                            pushed with the catheter disconnected
 * @param patientDrugLast24h  of that, in the last 24 h (counted in 5-minute steps, so up to 24 h 5 min)
 * @param deadVolumeLeft      the dead volume not yet filled: what a priming may push with the catheter connected
 * @param overdose            why the drug that reached the patient in 24 h is beyond the drug library, if it is
 * @param prescribedDrug      the prescription integrated over this run (basal and scheduled periodic boluses, delivered or
 *                            not): what the withdrawal-risk estimate holds delivery against
 * @param prescribedPerDay    the prescription's average rate now: the basal in force plus the periodic boluses' daily dose
 * @param refillCheck         the last refill whose withdrawn residual did not match the count, if one did not
 * @param memoryLostAt        since when the pump has not known its therapy (its memory lost), until a program is verified
 * @param controllerFault     why the motor watchdog stopped the motor (the controller's loop did not report in time), while it holds
 * @param writeAhead          how the write-ahead record keeps up with the steps
 * @param storageTooSlow      while steps go out before the record covers them (a disk too slow for its bound): what is at stake
 */
public record DeliveryStatus(long nanos, Instant at, String mode, String state, List<String> haltReasons, DailyRate basal,
        Optional<Concentration> concentration, Optional<String> bolus, Optional<String> bridge, long deliveredMicrosteps, long idealMicrosteps,
        Dose deliveredDrug, Volume reservoir, Optional<Double> hoursToEmpty, StepLateness.Summary lateness, List<String> program,
        Optional<Instant> suspendedUntil, long revision, Optional<String> storage,
        Optional<DeliveryController.Restart> lastRestart, Optional<String> reservoirLow, Optional<Instant> refillDue,
        Optional<String> discrepancy, DailyRate prescribed, DeliveryPlan plan, OptionalLong suspendedSinceNanos,
        boolean reservoirEmpty, Optional<String> motorFault, Optional<BolusKind> bolusKind, Dose patientDrug,
        Dose patientDrugLast24h, Volume deadVolumeLeft, Optional<String> overdose, Dose prescribedDrug, DailyRate prescribedPerDay,
        Optional<RefillCheck> refillCheck, Optional<Instant> memoryLostAt, Optional<String> controllerFault, WriteAheadHealth writeAhead,
        Optional<String> storageTooSlow) {

    public DeliveryStatus {
        haltReasons = List.copyOf(haltReasons);
        program = List.copyOf(program);
    }

    /** The same snapshot with the step lateness as of now. */
    DeliveryStatus withLateness(StepLateness.Summary now) {
        return new DeliveryStatus(nanos, at, mode, state, haltReasons, basal, concentration, bolus, bridge, deliveredMicrosteps,
                idealMicrosteps, deliveredDrug, reservoir, hoursToEmpty, now, program, suspendedUntil, revision, storage, lastRestart,
                reservoirLow, refillDue, discrepancy, prescribed, plan, suspendedSinceNanos, reservoirEmpty, motorFault, bolusKind,
                patientDrug, patientDrugLast24h, deadVolumeLeft, overdose, prescribedDrug, prescribedPerDay, refillCheck, memoryLostAt,
                controllerFault, writeAhead, storageTooSlow);
    }

    /**
     * What the alarm supervisor observes: the write-ahead record's counters left out (they move with
     * the disk's real time, and a simulation must run the same whatever the disk did; what the
     * supervisor needs of them is {@link #storageTooSlow}).
     */
    public DeliveryStatus observed() {
        return new DeliveryStatus(nanos, at, mode, state, haltReasons, basal, concentration, bolus, bridge, deliveredMicrosteps,
                idealMicrosteps, deliveredDrug, reservoir, hoursToEmpty, lateness, program, suspendedUntil, revision, storage, lastRestart,
                reservoirLow, refillDue, discrepancy, prescribed, plan, suspendedSinceNanos, reservoirEmpty, motorFault, bolusKind,
                patientDrug, patientDrugLast24h, deadVolumeLeft, overdose, prescribedDrug, prescribedPerDay, refillCheck, memoryLostAt,
                controllerFault, WriteAheadHealth.NONE, storageTooSlow);
    }

    /**
     * The same snapshot with the motor watchdog's trip in it, for a dose loop that has not reported
     * since (frozen, or held up for longer than the watchdog's timeout): it is not delivering, however
     * its last snapshot reads. {@code trip} says why.
     */
    DeliveryStatus withControllerFault(String trip) {
        List<String> reasons = new ArrayList<>(haltReasons);
        reasons.add("controller fault: " + trip);
        return new DeliveryStatus(nanos, at, mode, "halted", reasons, basal, concentration, bolus, bridge, deliveredMicrosteps,
                idealMicrosteps, deliveredDrug, reservoir, hoursToEmpty, lateness, program, suspendedUntil, revision, storage, lastRestart,
                reservoirLow, refillDue, discrepancy, prescribed, plan, suspendedSinceNanos, reservoirEmpty, motorFault, bolusKind,
                patientDrug, patientDrugLast24h, deadVolumeLeft, overdose, prescribedDrug, prescribedPerDay, refillCheck, memoryLostAt,
                Optional.of(trip), writeAhead, storageTooSlow);
    }

    /** Whether a priming bolus is filling the catheter. */
    public boolean priming() {
        return bolusKind.filter(k -> k == BolusKind.PRIMING).isPresent();
    }

    public boolean suspended() {
        return "suspended".equals(state);
    }
}
