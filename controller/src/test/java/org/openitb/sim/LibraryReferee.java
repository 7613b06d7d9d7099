package org.openitb.sim;

import java.time.Duration;
import java.util.TreeMap;
import org.openitb.therapy.DrugLibrary;
import org.openitb.therapy.Program;
import org.openitb.therapy.SpasticityOrigin;
import org.openitb.therapy.TherapyCommand;

/**
 * The drug library, checked independently of the pump for the fault simulator: nothing the pump
 * accepted may break it, whatever sequence of commands came before. Times are the simulation's
 * elapsed nanoseconds; a limit counted over wall time is not judged across a wall-clock jump.
 */
final class LibraryReferee {

    private final DrugLibrary library;
    /** Programs accepted, by simulated time, for the titration check. */
    private final TreeMap<Long, Program> programs = new TreeMap<>();
    private long lastBolusAtNanos = Long.MIN_VALUE;
    private long lastWallJumpNanos = Long.MIN_VALUE;

    LibraryReferee(DrugLibrary library) {
        this.library = library;
    }

    void wallClockJumped(long elapsedNanos) {
        lastWallJumpNanos = elapsedNanos;
    }

    /** The pump applied {@code command} at {@code elapsedNanos}: throws if that broke the library. */
    void accepted(TherapyCommand command, boolean override, long elapsedNanos) {
        switch (command) {
            case TherapyCommand.SetProgram p -> {
                Program program = p.program();
                if (!library.concentrations().contains(program.concentration())) {
                    throw new Invariants.Violation("accepted a program at " + program.concentration() + ", not in the library");
                }
                if (program.maxBasalRate().compareTo(library.hardMaxDaily()) > 0) {
                    throw new Invariants.Violation("accepted a rate of " + program.maxBasalRate() + " above the hard limit " + library.hardMaxDaily());
                }
                if (!override && program.dailyDose().compareTo(library.softMaxDaily()) > 0) {
                    throw new Invariants.Violation("accepted " + program.dailyDose() + " above the soft limit without an override");
                }
                titration(program, override, elapsedNanos);
                programs.put(elapsedNanos, program);
            }
            case TherapyCommand.StartBolus b -> {
                if (b.dose().compareTo(library.maxBolus()) > 0 || b.over().compareTo(library.bolusMinDuration()) < 0) {
                    throw new Invariants.Violation("accepted a bolus " + b.dose() + " over " + b.over() + " beyond the library");
                }
                long since = elapsedNanos - lastBolusAtNanos;
                boolean tooSoon = lastBolusAtNanos != Long.MIN_VALUE && since < library.bolusLockout().toNanos() && lastWallJumpNanos < lastBolusAtNanos;
                lastBolusAtNanos = elapsedNanos;
                if (tooSoon) {
                    throw new Invariants.Violation("accepted a bolus " + Duration.ofNanos(since).toMinutes() + " min after the last one; the lockout is "
                            + library.bolusLockout());
                }
            }
            default -> { }
        }
    }

    /** A change beyond the titration limit from the program of 24 h ago needs an override (checked when the last 24 h were undisturbed). */
    private void titration(Program program, boolean override, long elapsedNanos) {
        long dayAgo = elapsedNanos - Duration.ofHours(24).toNanos();
        var then = programs.floorEntry(dayAgo);
        if (override || then == null || lastWallJumpNanos > dayAgo - Duration.ofHours(1).toNanos()) {
            return;
        }
        double reference = then.getValue().dailyDose().nanogramsPerDay();
        double change = Math.abs(program.dailyDose().nanogramsPerDay() - reference) / reference * 100;
        var limit = library.origin() == SpasticityOrigin.SPINAL ? library.titrationSpinal() : library.titrationCerebral();
        if (change > limit.basisPoints() / 100.0 + 1e-9) {
            throw new Invariants.Violation("accepted a change of " + Math.round(change) + "% in 24 h without an override");
        }
    }
}
