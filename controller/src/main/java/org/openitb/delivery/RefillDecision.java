package org.openitb.delivery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.LongFunction;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Program;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Verdict;
import org.openitb.therapy.Volume;

/**
 * A refill asked for, checked apart from the loop: a refusal (one line), or what the pump would
 * run after it. The classic refill error, a new concentration under the old program, is refused
 * unless the refill carries the program re-written for it, checked as any program is.
 */
final class RefillDecision {

    private RefillDecision() {
    }

    /** An accepted refill: the verdict on a program it carries, the program running, and the one it carries. */
    record Accepted(Verdict verdict, Optional<Program> running, Optional<Program> carried) {
        /** What runs after the refill: the carried program, else the running one. */
        Optional<Program> next() {
            return carried.or(() -> running);
        }
    }

    /** A refusal or an acceptance, exactly one of them. */
    /**
     * {@code refill} into a syringe of {@code capacity}, on a pump in state {@code s}, at {@code now};
     * {@code override} a soft limit of the drug library; {@code at} tells a monotonic instant for people.
     */
    static Checked<Accepted> check(TherapyCommand.Refill refill, DeliveryState s, Volume capacity, boolean override, DeliveryOptions options, long now,
            LongFunction<String> at) {
        Volume volume = refill.volume();
        Concentration concentration = refill.concentration();
        if (volume.picolitres() == 0) {
            return Checked.refused("a refill of 0mL is not a refill");
        }
        if (volume.compareTo(capacity) > 0) {
            return Checked.refused("a refill of " + volume + " is more than the syringe holds (" + capacity
                    + ", syringe.capacity); hard limits cannot be overridden");
        }
        if (refill.withdrawn().filter(w -> w.compareTo(capacity) > 0).isPresent()) {
            // A typo (30mL for 3.0mL): compared with the count it would read as a large discrepancy, or hide one.
            return Checked.refused("withdrawn " + refill.withdrawn().get() + " is more than the syringe holds (" + capacity
                    + ", syringe.capacity): check the volume withdrawn");
        }
        Optional<String> notInLibrary = s.therapy().limits().concentrationFinding(concentration);
        if (notInLibrary.isPresent()) {
            return Checked.refused(notInLibrary.get() + "; hard limits cannot be overridden");
        }
        if (s.bolus().isPresent()) {
            RunningBolus b = s.bolus().get();
            return Checked.refused("a " + b.description() + " is under way until " + at.apply(b.endNanos()) + "; refill after it");
        }
        if (s.bridge().isPresent()) {
            return Checked.refused("the catheter is still being flushed after the last change of concentration; refill after the bridge ends");
        }
        Optional<Program> running = s.therapy().program();
        Optional<Program> carried = refill.program();
        Verdict verdict = Verdict.ACCEPTED;
        if (carried.isPresent()) {
            if (!carried.get().concentration().equals(concentration)) {
                return Checked.refused("the program given with the refill is written for " + carried.get().concentration()
                        + ", the refill is " + concentration + "; they must match");
            }
            verdict = s.therapy().checkProgram(carried.get(), now);
            Optional<String> refusal = verdict.refusal(override).or(() -> StepRate.forProgram(carried.get(), options, now));
            if (refusal.isPresent()) {
                return Checked.refused(refusal.get());
            }
        } else if (running.isPresent() && !running.get().concentration().equals(concentration)) {
            return Checked.refused("a refill of " + concentration + " does not match the running program's " + running.get().concentration()
                    + ": at the same rate that is " + ratio(running.get().concentration(), concentration)
                    + " the drug, the classic refill error; give the program re-written for " + concentration
                    + " with the refill (--dose or --step), to be checked and confirmed with it");
        }
        return Checked.accepted(new Accepted(verdict, running, carried));
    }

    /** How a refill error scales the dose, e.g. "4 times". */
    private static String ratio(Concentration from, Concentration to) {
        return BigDecimal.valueOf(to.nanogramsPerMl())
                .divide(BigDecimal.valueOf(from.nanogramsPerMl()), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + " times";
    }
}
