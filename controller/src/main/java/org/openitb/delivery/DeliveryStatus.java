package org.openitb.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Volume;

/**
 * What the dose loop is doing, as of one instant: published after every tick and command, read
 * by {@code status} from any thread. Grouped by what a reader asks: what runs, the syringe, the
 * drug counted, and the pump's health.
 *
 * @param nanos  monotonic time of the snapshot
 * @param at     wall time of the snapshot
 * @param plan   the plan the scheduler tracks, to tell the ideal at any later instant
 */
public record DeliveryStatus(long nanos, Instant at, Running running, Supply supply, Counts counts, Health health, DeliveryPlan plan) {

    /**
     * What runs.
     *
     * @param mode                {@code none}, {@code continuous} or {@code flex}
     * @param state               {@code idle}, {@code delivering}, {@code suspended} or {@code halted}
     * @param haltReasons         why the motor is stopped, empty unless halted
     * @param basal               the basal rate in force now (zero when suspended)
     * @param prescribed          the basal rate the program asks for now, even while suspended or halted (zero without a program)
     * @param prescribedPerDay    the prescription's average rate now: the basal in force plus the periodic boluses' daily dose
     * @param program             the running program, a line per item
     * @param revision            the therapy revision a preview is confirmed against
     * @param suspendedUntil      when a timed suspension in force ends
     * @param suspendedSinceNanos when the suspension in force began (monotonic), if there is one
     * @param bolus               the bolus under way, described, if any
     * @param bolusKind           what the bolus under way is for, if one is (priming fills the catheter, it doses no one)
     * @param bridge              the catheter flush after a change of concentration, described, if under way
     */
    public record Running(String mode, String state, List<String> haltReasons, DailyRate basal, DailyRate prescribed,
            DailyRate prescribedPerDay, List<String> program, long revision, Optional<Instant> suspendedUntil,
            OptionalLong suspendedSinceNanos, Optional<String> bolus, Optional<BolusKind> bolusKind, Optional<String> bridge) {
        public Running {
            haltReasons = List.copyOf(haltReasons);
            program = List.copyOf(program);
        }

        /** Whether a priming bolus is filling the catheter. */
        public boolean priming() {
            return bolusKind.filter(k -> k == BolusKind.PRIMING).isPresent();
        }

        public boolean suspended() {
            return "suspended".equals(state);
        }
    }

    /**
     * The syringe and the catheter.
     *
     * @param concentration  of the reservoir, once known
     * @param remaining      volume left
     * @param hoursToEmpty   at the rate in force, if it delivers anything
     * @param low            why the reservoir is low, if it is
     * @param refillDue      when the reservoir becomes low at the rate in force
     * @param discrepancy    how the level switch and the volume model disagree, if they do
     * @param empty          the volume model says nothing is left to push
     * @param refillCheck    the last refill whose withdrawn residual did not match the count, if one did not
     * @param deadVolumeLeft the dead volume not yet filled: what a priming may push with the catheter connected
     */
    public record Supply(Optional<Concentration> concentration, Volume remaining, Optional<Double> hoursToEmpty, Optional<String> low,
            Optional<Instant> refillDue, Optional<String> discrepancy, boolean empty, Optional<RefillCheck> refillCheck,
            Volume deadVolumeLeft) {
    }

    /**
     * The drug counted.
     *
     * @param deliveredMicrosteps microsteps emitted since start
     * @param idealMicrosteps     the plan's target now (equal to delivered within one microstep while on time)
     * @param deliveredDrug       drug in what was delivered
     * @param patientDrug         drug that reached the patient: all delivered but what priming put into the dead volume or
     *                            pushed with the catheter disconnected
     * @param patientDrugLast24h  of that, in the last 24 h (counted in 5-minute steps, so up to 24 h 5 min)
     * @param overdose            why the drug that reached the patient in 24 h is beyond the drug library, if it is
     * @param prescribedDrug      the prescription integrated over this run (basal and scheduled periodic boluses, delivered or
     *                            not): what the withdrawal-risk estimate holds delivery against
     */
    public record Counts(long deliveredMicrosteps, long idealMicrosteps, Dose deliveredDrug, Dose patientDrug, Dose patientDrugLast24h,
            Optional<String> overdose, Dose prescribedDrug) {
    }

    /**
     * The pump's health.
     *
     * @param lateness        step lateness so far
     * @param storage         why the pump's memory is not being kept, if it is not
     * @param lastRestart     the restart that began this run, if it was one
     * @param motorFault      why the stepper driver latched a fault, while it has one
     * @param controllerFault why the motor watchdog stopped the motor (the controller's loop did not report in time), while it holds
     * @param memoryLostAt    since when the pump has not known its therapy (its memory lost), until a program is verified
     * @param writeAhead      how the write-ahead record keeps up with the steps
     * @param storageTooSlow  while steps go out before the record covers them (a disk too slow for its bound): what is at stake
     */
    public record Health(StepLateness.Summary lateness, Optional<String> storage, Optional<Restart> lastRestart,
            Optional<String> motorFault, Optional<String> controllerFault, Optional<Instant> memoryLostAt, WriteAheadHealth writeAhead,
            Optional<String> storageTooSlow) {

        Health withLateness(StepLateness.Summary now) {
            return new Health(now, storage, lastRestart, motorFault, controllerFault, memoryLostAt, writeAhead, storageTooSlow);
        }

        Health withControllerFault(String trip) {
            return new Health(lateness, storage, lastRestart, motorFault, Optional.of(trip), memoryLostAt, writeAhead, storageTooSlow);
        }

        Health withoutWriteAhead() {
            return new Health(lateness, storage, lastRestart, motorFault, controllerFault, memoryLostAt, WriteAheadHealth.NONE, storageTooSlow);
        }
    }

    public DeliveryStatus {
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(supply, "supply");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(health, "health");
    }

    /** The same snapshot with the step lateness as of now. */
    DeliveryStatus withLateness(StepLateness.Summary now) {
        return new DeliveryStatus(nanos, at, running, supply, counts, health.withLateness(now), plan);
    }

    /**
     * What the alarm supervisor observes: the write-ahead record's counters left out (they move with
     * the disk's real time, and a simulation must run the same whatever the disk did; what the
     * supervisor needs of them is {@link Health#storageTooSlow}).
     */
    public DeliveryStatus observed() {
        return new DeliveryStatus(nanos, at, running, supply, counts, health.withoutWriteAhead(), plan);
    }

    /**
     * The same snapshot with the motor watchdog's trip in it, for a dose loop that has not reported
     * since (frozen, or held up for longer than the watchdog's timeout): it is not delivering, however
     * its last snapshot reads. {@code trip} says why.
     */
    DeliveryStatus withControllerFault(String trip) {
        List<String> reasons = new ArrayList<>(running.haltReasons());
        reasons.add("controller fault: " + trip);
        Running halted = new Running(running.mode(), "halted", reasons, running.basal(), running.prescribed(), running.prescribedPerDay(),
                running.program(), running.revision(), running.suspendedUntil(), running.suspendedSinceNanos(), running.bolus(),
                running.bolusKind(), running.bridge());
        return new DeliveryStatus(nanos, at, halted, supply, counts, health.withControllerFault(trip), plan);
    }
}
