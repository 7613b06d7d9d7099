package org.openitb.sim;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import org.openitb.config.PumpConfig;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.DrugLibrary;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.Program;
import org.openitb.therapy.SpasticityOrigin;
import org.openitb.therapy.TherapyCommand;

/**
 * The drug library, checked independently of the pump for the fault simulator: nothing the pump
 * accepted may break it, whatever sequence of commands came before. Times are the simulation's
 * elapsed nanoseconds; a limit counted over wall time is not judged across a wall-clock jump.
 * What the world says (is the catheter connected, how much of it is still empty) comes from the
 * plant, not from the pump.
 */
final class LibraryReferee {

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    /** The world as the command found it: the pump suspended or not, and the catheter's empty volume (pL). */
    record World(boolean suspended, long catheterEmptyPl) {
    }

    private final DrugLibrary library;
    private final long primingMaxPerDayPl;
    private final long plPerMicrostep;
    /** Programs accepted, by simulated time, for the titration check. */
    private final TreeMap<Long, Program> programs = new TreeMap<>();
    private final Deque<long[]> primings = new ArrayDeque<>();
    private Concentration filledWith;
    private long lastBolusAtNanos = Long.MIN_VALUE;
    private long lastWallJumpNanos = Long.MIN_VALUE;

    LibraryReferee(PumpConfig config) {
        this.library = config.library();
        this.primingMaxPerDayPl = config.delivery().primingMaxPerDay().picolitres();
        this.plPerMicrostep = config.mechanics().volumePerMicrostep().picolitres();
    }

    void wallClockJumped(long elapsedNanos) {
        lastWallJumpNanos = elapsedNanos;
    }

    /** The pump applied {@code command} at {@code elapsedNanos}: throws if that broke the library. */
    void accepted(TherapyCommand command, boolean override, long elapsedNanos, World world) {
        switch (command) {
            case TherapyCommand.SetProgram p -> {
                Program program = p.program();
                if (filledWith == null || !filledWith.equals(program.concentration())) {
                    throw new Invariants.Violation("accepted a program at " + program.concentration() + " for a syringe declared "
                            + (filledWith == null ? "by no refill" : "with " + filledWith));
                }
                rates(program, override);
                titration(program, override, elapsedNanos);
                ratesByTime(program, override, elapsedNanos);
                programs.put(elapsedNanos, program);
            }
            case TherapyCommand.Refill r -> {
                filledWith = r.concentration();
                if (!library.concentrations().contains(r.concentration())) {
                    throw new Invariants.Violation("accepted a refill of " + r.concentration() + ", not in the library");
                }
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
            case TherapyCommand.Prime p -> priming(p.volume().picolitres(), p.disconnected(), elapsedNanos, world);
            case TherapyCommand.PrimeMicrosteps p -> priming(p.microsteps() * plPerMicrostep, p.disconnected(), elapsedNanos, world);
            default -> { }
        }
    }

    /** Every rate a program runs at, flex steps each on their own, within the hard maximum, and the soft one unless overridden; none zero. */
    private void rates(Program program, boolean override) {
        List<DailyRate> rates = program instanceof FlexProgram flex ? flex.schedule().steps().stream().map(s -> s.rate()).toList()
                : List.of(program.maxBasalRate());
        for (DailyRate rate : rates) {
            if (rate.nanogramsPerDay() == 0) {
                throw new Invariants.Violation("accepted a program with a rate of 0mcg/day: hours without delivery and no alarm");
            }
            if (rate.compareTo(library.hardMinDaily()) < 0) {
                throw new Invariants.Violation("accepted a rate of " + rate + " below the hard minimum " + library.hardMinDaily()
                        + ": a stop in all but name, with no alarm");
            }
            if (rate.compareTo(library.hardMaxDaily()) > 0) {
                throw new Invariants.Violation("accepted a rate of " + rate + " above the hard limit " + library.hardMaxDaily());
            }
            if (!override && rate.compareTo(library.softMaxDaily()) > 0) {
                throw new Invariants.Violation("accepted a rate of " + rate + " above the soft limit without an override");
            }
        }
        if (program.dailyDose().compareTo(library.hardMaxDaily()) > 0 || (!override && program.dailyDose().compareTo(library.softMaxDaily()) > 0)) {
            throw new Invariants.Violation("accepted a daily dose of " + program.dailyDose() + " beyond the library" + (override ? "" : " without an override"));
        }
    }

    /**
     * Without an override, a new daily dose may exceed the lowest daily dose in force at any moment
     * of the last 24 h by at most the titration limit, and fall short of the highest by at most it
     * (judged when the last 24 h saw no wall-clock jump).
     */
    private void titration(Program program, boolean override, long elapsedNanos) {
        long dayAgo = elapsedNanos - DAY_NANOS;
        if (override || programs.isEmpty() || lastWallJumpNanos > dayAgo - Duration.ofHours(1).toNanos()) {
            return;
        }
        Long from = programs.floorKey(dayAgo);
        var inForce = programs.tailMap(from == null ? programs.firstKey() : from, true).values();
        double lowest = inForce.stream().mapToLong(p -> p.dailyDose().nanogramsPerDay()).min().orElseThrow();
        double highest = inForce.stream().mapToLong(p -> p.dailyDose().nanogramsPerDay()).max().orElseThrow();
        double limit = (library.origin() == SpasticityOrigin.SPINAL ? library.titrationSpinal() : library.titrationCerebral()).basisPoints() / 10_000.0;
        double daily = program.dailyDose().nanogramsPerDay();
        if (daily > lowest * (1 + limit) + 1e-6 || daily < highest * (1 - limit) - 1e-6) {
            throw new Invariants.Violation("accepted " + program.dailyDose() + " without an override where the last 24 h held "
                    + new DailyRate((long) lowest) + " to " + new DailyRate((long) highest) + ": beyond the titration limit");
        }
    }

    /**
     * Without an override, the rate at every half hour of a week (local time of week) within the
     * titration limit of the lowest and highest rate that the programs in force in the last 24 h ran
     * at that same time: a flex program cannot hide a step at several times the rate in force then.
     */
    private void ratesByTime(Program program, boolean override, long elapsedNanos) {
        long dayAgo = elapsedNanos - DAY_NANOS;
        if (override || programs.isEmpty() || lastWallJumpNanos > dayAgo - Duration.ofHours(1).toNanos()) {
            return;
        }
        Long from = programs.floorKey(dayAgo);
        var inForce = programs.tailMap(from == null ? programs.firstKey() : from, true).values();
        if (!(program instanceof FlexProgram) && inForce.stream().noneMatch(p -> p instanceof FlexProgram)) {
            return; // constant rates: the daily dose says it all (a periodic bolus may stand in for some basal)
        }
        double limit = (library.origin() == SpasticityOrigin.SPINAL ? library.titrationSpinal() : library.titrationCerebral()).basisPoints() / 10_000.0;
        // Monday 2026-01-05 00:00 in UTC: rates are read by local time of week, any week and zone reads the same.
        ZonedDateTime monday = ZonedDateTime.of(2026, 1, 5, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int halfHour = 0; halfHour < 7 * 48; halfHour++) {
            ZonedDateTime at = monday.plusMinutes(30L * halfHour);
            double rate = program.basalRateAt(at).nanogramsPerDay();
            double lowest = inForce.stream().mapToLong(p -> p.basalRateAt(at).nanogramsPerDay()).min().orElseThrow();
            double highest = inForce.stream().mapToLong(p -> p.basalRateAt(at).nanogramsPerDay()).max().orElseThrow();
            if (rate > lowest * (1 + limit) + 1e-6 || rate < highest * (1 - limit) - 1e-6) {
                throw new Invariants.Violation("accepted a rate of " + new DailyRate((long) rate) + " at " + at.getDayOfWeek() + " "
                        + at.toLocalTime() + " without an override where the last 24 h ran " + new DailyRate((long) lowest) + " to "
                        + new DailyRate((long) highest) + " then: beyond the titration limit");
            }
        }
    }

    /**
     * A priming with the catheter connected no larger than what is still empty of it (the world's
     * catheter: beyond it the drug goes into the patient); a disconnected one only with delivery
     * suspended or no program; all of them within the day's bound.
     */
    private void priming(long pl, boolean disconnected, long elapsedNanos, World world) {
        if (!disconnected && pl > world.catheterEmptyPl() + plPerMicrostep) {
            throw new Invariants.Violation("accepted a priming of " + pl / 1_000 + " nL with the catheter connected and only "
                    + world.catheterEmptyPl() / 1_000 + " nL of it empty: the rest into the patient");
        }
        if (disconnected && !programs.isEmpty() && !world.suspended()) {
            throw new Invariants.Violation("accepted a priming with the catheter disconnected while a program delivered");
        }
        while (!primings.isEmpty() && elapsedNanos - primings.peekFirst()[0] >= DAY_NANOS) {
            primings.removeFirst();
        }
        primings.addLast(new long[] {elapsedNanos, pl});
        long day = primings.stream().mapToLong(p -> p[1]).sum();
        if (day > primingMaxPerDayPl && lastWallJumpNanos < elapsedNanos - DAY_NANOS) {
            throw new Invariants.Violation("accepted primings of " + day / 1_000 + " nL in 24 h, beyond delivery.priming-max-per-day");
        }
    }
}
