package org.openitb.therapy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A change of therapy asked for by an operator (or the patient's button), before any check. */
public sealed interface TherapyCommand {

    /**
     * Run {@code program} from now on. {@code referenceDose}, the daily dose the patient was on, is
     * for a pump that lost its memory: the titration limit is measured against it.
     */
    record SetProgram(Program program, Optional<DailyRate> referenceDose) implements TherapyCommand {
        public SetProgram {
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(referenceDose, "referenceDose");
        }

        public SetProgram(Program program) {
            this(program, Optional.empty());
        }
    }

    /** A clinician's bolus of {@code dose} spread over {@code over}. */
    record StartBolus(Dose dose, Duration over) implements TherapyCommand {
        public StartBolus {
            Objects.requireNonNull(dose, "dose");
            Objects.requireNonNull(over, "over");
        }
    }

    /** The patient's bolus button: dose and speed come from the patient-bolus policy. */
    record PatientBolus() implements TherapyCommand {
    }

    /**
     * The syringe was refilled with {@code volume} of {@code concentration}; a program re-written
     * for that concentration comes with it when it differs from the running one's; {@code withdrawn}
     * is what was drawn off the old syringe, checked against the pump's count.
     */
    record Refill(Volume volume, Concentration concentration, Optional<Program> program, Optional<Volume> withdrawn)
            implements TherapyCommand {
        public Refill {
            Objects.requireNonNull(volume, "volume");
            Objects.requireNonNull(concentration, "concentration");
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(withdrawn, "withdrawn");
        }

        /** A refill with no residual declared. */
        public Refill(Volume volume, Concentration concentration, Optional<Program> program) {
            this(volume, concentration, program, Optional.empty());
        }
    }

    /**
     * Fill the catheter: push {@code volume} at the priming rate. With the catheter connected to the
     * patient, no more than the dead volume left to fill; {@code disconnected} declares it is not
     * (the pump suspended or unprogrammed), so nothing pushed reaches anyone.
     */
    record Prime(Volume volume, boolean disconnected) implements TherapyCommand {
        public Prime {
            Objects.requireNonNull(volume, "volume");
        }

        /** A priming with the catheter connected. */
        public Prime(Volume volume) {
            this(volume, false);
        }
    }

    /**
     * Fill the catheter, or push a measured amount for calibration: exactly {@code microsteps} at
     * the priming rate, whatever volume the calibration in force says that is; {@code disconnected}
     * as for {@link Prime}.
     */
    record PrimeMicrosteps(long microsteps, boolean disconnected) implements TherapyCommand {
        /**
         * A bound on the count alone, far beyond any syringe (718 mL at the shipped calibration); the
         * volume it makes is then held to delivery.priming-max like any priming.
         */
        public static final long MAX = 10_000_000L;

        public PrimeMicrosteps {
            if (!allows(microsteps)) {
                throw new IllegalArgumentException("microsteps must be 1 to " + MAX + ", not " + microsteps);
            }
        }

        /** A calibration priming with the catheter connected. */
        public PrimeMicrosteps(long microsteps) {
            this(microsteps, false);
        }

        /** Whether {@code microsteps} is a count one calibration run may ask for: 1 to {@link #MAX}. */
        public static boolean allows(long microsteps) {
            return microsteps >= 1 && microsteps <= MAX;
        }
    }

    /** Stop delivery, for {@code duration} or until resumed. */
    record Suspend(Optional<Duration> duration) implements TherapyCommand {
        public Suspend {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** Start delivery again at the programmed rate, with nothing of the suspended time caught up. */
    record Resume() implements TherapyCommand {
    }
}
