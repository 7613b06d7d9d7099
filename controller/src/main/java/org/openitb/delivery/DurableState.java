package org.openitb.delivery;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.openitb.therapy.BolusKind;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Program;
import org.openitb.therapy.Volume;

/**
 * What the pump must remember across a restart, as of one instant: therapy (program, its history
 * for the titration limit, the boluses of 24 h for lockouts and caps, a suspension), the reservoir,
 * the delivered counters and a bridge under way. Times are wall instants, because the monotonic
 * clock starts again with every boot; counters are microsteps.
 *
 * @param program           the running program and since when
 * @param history           programs of the last 24 h and the one before, oldest first, for the titration limit
 * @param boluses           boluses of the last 24 h, oldest first
 * @param suspendedSince    when the running suspension began
 * @param suspendedUntil    when a timed suspension ends
 * @param reservoirRemaining volume in the syringe as of {@code deliveredMicrosteps}
 * @param reservoirConcentration what the syringe holds, once known
 * @param deliveredMicrosteps microsteps delivered since the pump was first started
 * @param counting          the concentration microsteps are counted in (the catheter's during a bridge)
 * @param drugBillionths    drug delivered, in 10^-9 ng
 * @param unassignedPl      volume pushed before any concentration was known
 * @param bridgeUntil       the microstep count that ends a bridge under way
 * @param bridgeTo          the concentration that takes over after it
 * @param revision          the therapy revision
 * @param bolus             a bolus running at this instant, so a restart can say it was cut off
 * @param periodicAnchor    when the running program's periodic boluses count from
 * @param patient           what reached the patient: the total, by the hour over the last day, and how full the dead volume is
 * @param primings          primings of the last 24 h, oldest first: their volume is bounded per 24 h
 * @param memoryLostAt      since when the pump has not known its therapy (its memory was lost), until a program is verified
 */
public record DurableState(Optional<Dated<Program>> program, List<Dated<Program>> history, List<Bolus> boluses,
        Optional<Instant> suspendedSince, Optional<Instant> suspendedUntil, Volume reservoirRemaining,
        Optional<Concentration> reservoirConcentration, long deliveredMicrosteps, Concentration counting, BigInteger drugBillionths,
        long unassignedPl, OptionalLong bridgeUntil, Optional<Concentration> bridgeTo, long revision,
        Optional<RunningBolus> bolus, Optional<Instant> periodicAnchor, Patient patient, List<Dated<Volume>> primings,
        Optional<Instant> memoryLostAt) {

    /**
     * The patient's side of the ledger.
     *
     * @param billionths       drug that reached the patient, in 10^-9 ng
     * @param byHour           the same by the hour over the last day, each hour dated by its latest five-minute step
     * @param deadVolumeFilledPl how much of the dead volume holds solution; empty when not known (a state from
     *                         before it was kept), taken as full
     * @param deadVolumePl     the dead volume (catheter.volume) that fill was counted against; empty in a state from before
     *                         it was kept. A larger one configured since must not reopen a catheter that was full.
     */
    public record Patient(BigInteger billionths, List<Dated<BigInteger>> byHour, OptionalLong deadVolumeFilledPl,
            OptionalLong deadVolumePl) {
        public Patient {
            Objects.requireNonNull(billionths, "billionths");
            byHour = List.copyOf(byHour);
            Objects.requireNonNull(deadVolumeFilledPl, "deadVolumeFilledPl");
            Objects.requireNonNull(deadVolumePl, "deadVolumePl");
        }

        /**
         * How much of a dead volume of {@code configuredPl} to take as filled: what was left to fill
         * stays left to fill (no more), whatever catheter.volume says now. A catheter full under 0.2mL
         * is still full under a 5mL configured since: the rest would be primed into the patient.
         * Unknown fill (a state from before it was kept) is full.
         */
        public long deadVolumeFilledUnder(long configuredPl) {
            if (deadVolumeFilledPl.isEmpty()) {
                return Long.MAX_VALUE;
            }
            long filled = deadVolumeFilledPl.getAsLong();
            if (!deadVolumeChangedFrom(configuredPl)) {
                return filled;
            }
            long left = Math.max(0, deadVolumePl.getAsLong() - filled);
            return configuredPl - Math.min(configuredPl, left);
        }

        /** Whether the dead volume the fill was counted against is known and other than {@code configuredPl}. */
        public boolean deadVolumeChangedFrom(long configuredPl) {
            return deadVolumeFilledPl.isPresent() && deadVolumePl.isPresent() && deadVolumePl.getAsLong() != configuredPl;
        }
    }

    /** A value and the wall instant it dates from. */
    public record Dated<T>(Instant since, T value) {
        public Dated {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A bolus as the 24 h limits remember it. */
    public record Bolus(Instant at, Dose dose, BolusKind kind) {
        public Bolus {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(dose, "dose");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** A bolus under way, described for people, and when it was to end. */
    public record RunningBolus(String description, Instant endsAt, boolean priming, boolean disconnected) {
        public RunningBolus {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(endsAt, "endsAt");
        }

        /** A bolus to the patient (a state from before primings were told apart reads as one). */
        public RunningBolus(String description, Instant endsAt) {
            this(description, endsAt, false, false);
        }
    }

    public DurableState {
        Objects.requireNonNull(program, "program");
        history = List.copyOf(history);
        boluses = List.copyOf(boluses);
        Objects.requireNonNull(suspendedSince, "suspendedSince");
        Objects.requireNonNull(suspendedUntil, "suspendedUntil");
        Objects.requireNonNull(reservoirRemaining, "reservoirRemaining");
        Objects.requireNonNull(reservoirConcentration, "reservoirConcentration");
        Objects.requireNonNull(counting, "counting");
        Objects.requireNonNull(drugBillionths, "drugBillionths");
        Objects.requireNonNull(bridgeUntil, "bridgeUntil");
        Objects.requireNonNull(bridgeTo, "bridgeTo");
        Objects.requireNonNull(bolus, "bolus");
        Objects.requireNonNull(periodicAnchor, "periodicAnchor");
        Objects.requireNonNull(patient, "patient");
        primings = List.copyOf(primings);
        Objects.requireNonNull(memoryLostAt, "memoryLostAt");
    }
}
