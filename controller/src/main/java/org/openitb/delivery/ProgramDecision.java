package org.openitb.delivery;

import java.time.Instant;
import java.util.Optional;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Program;
import org.openitb.therapy.Verdict;

/**
 * A program asked for, checked apart from the loop: a refusal (one line), or the drug library's
 * verdict on it. A program must be in the library, match what the syringe is declared to hold, and
 * be measured against the last 24 h (or, on a pump that lost its memory, against the dose the
 * clinician says the patient was on).
 */
final class ProgramDecision {

    private ProgramDecision() {
    }

    /** A refusal or the verdict (with what it overrode), exactly one of them. */
    /**
     * {@code program} on a pump in state {@code s} whose syringe is declared to hold {@code held}
     * (empty: no refill on record), that lost its memory at {@code memoryLostAt} if it did, at
     * {@code now}; {@code referenceDose} is what the patient was on, as entered, and {@code override}
     * takes a soft limit.
     */
    static Checked<Verdict> check(Program program, Optional<DailyRate> referenceDose, boolean override, DeliveryState s, Optional<Concentration> held,
            Optional<Instant> memoryLostAt, DeliveryOptions options, long now) {
        Optional<String> notInLibrary = s.therapy().limits().concentrationFinding(program.concentration());
        if (notInLibrary.isPresent()) {
            return Checked.refused(notInLibrary.get() + "; hard limits cannot be overridden");
        }
        if (held.isEmpty()) {
            // The classic wrong-concentration first fill can only be caught against a declared syringe.
            return Checked.refused("no refill is on record: declare what the syringe holds first (refill --volume V --concentration C);"
                    + " a program never sets the concentration by itself");
        }
        if (!held.get().equals(program.concentration())) {
            return Checked.refused("the reservoir holds " + held.get() + ", not " + program.concentration()
                    + ": a program must match what is in the syringe (refill with " + program.concentration() + " first)");
        }
        if (s.bolus().isPresent() && !s.plan().concentration().equals(program.concentration())) {
            return Checked.refused("a " + s.bolus().get().description() + " is under way; program the new concentration after it ends");
        }
        Optional<String> unverified = unverified(referenceDose, override, s, memoryLostAt);
        if (unverified.isPresent()) {
            return Checked.refused(unverified.get());
        }
        Verdict verdict = referenceDose.isPresent() ? s.therapy().checkProgram(program, referenceDose.get(), now)
                : s.therapy().checkProgram(program, now);
        Optional<String> refusal = verdict.refusal(override).or(() -> StepRate.forProgram(program, options, now));
        return refusal.isPresent() ? Checked.refused(refusal.get()) : Checked.accepted(verdict);
    }

    /**
     * Why a program cannot be taken as verified yet, if it cannot: a pump that lost its memory has no
     * program of the last 24 h to measure a change against, so the clinician says what the patient
     * was on ({@code --reference-dose}) or takes responsibility with an override. A reference
     * dose on a pump that remembers is refused: it would replace what the pump knows.
     */
    private static Optional<String> unverified(Optional<DailyRate> referenceDose, boolean override, DeliveryState s,
            Optional<Instant> memoryLostAt) {
        boolean lost = memoryLostAt.isPresent() && s.therapy().program().isEmpty();
        if (referenceDose.isPresent() && !lost) {
            return Optional.of("--reference-dose is only for a pump that lost its memory of the therapy; this one measures a change"
                    + " against the programs of the last 24 h");
        }
        DailyRate hardMax = s.therapy().limits().library().hardMaxDaily();
        if (referenceDose.isPresent() && referenceDose.get().compareTo(hardMax) > 0) {
            return Optional.of("--reference-dose " + referenceDose.get() + " is above the hard limit of " + hardMax
                    + " (library.daily-dose.hard-max): no patient on this library was on it");
        }
        if (lost && referenceDose.isEmpty() && !override) {
            return Optional.of("the pump lost its memory of the therapy at " + memoryLostAt.get() + ": nothing to measure this program"
                    + " against for the titration limit; give the daily dose the patient was on (--reference-dose RATE), or take this"
                    + " program as verified with --override-soft-limit");
        }
        return Optional.empty();
    }
}
