package org.openitb.therapy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The titration limit: how far a new program may move in 24 h. It is measured against every
 * program in force during the last 24 h, not against one of them: the new daily dose may exceed
 * the lowest of them by at most the limit, and fall short of the highest by at most the limit, so
 * no sequence of small steps (400, 520, 400, 520...) adds up to more than the limit in a day. Flex
 * programs are compared rate by rate at the same time of the week as well, so a program whose
 * daily total is unchanged cannot hide a step at several times the rate in force then.
 */
final class Titration {

    private Titration() {
    }

    /**
     * Adds a soft finding for each way {@code candidate} moves beyond {@code limit} from the
     * programs in force in the last 24 h ({@code inForce}, not empty).
     */
    static void check(Program candidate, List<Program> inForce, Percent limit, SpasticityOrigin origin, List<Finding> findings) {
        check(candidate, inForce, "in force in the last 24 h", limit, origin, findings);
    }

    /** As above, the programs being {@code what} (e.g. "the patient was on, as entered"). */
    static void check(Program candidate, List<Program> inForce, String what, Percent limit, SpasticityOrigin origin, List<Finding> findings) {
        String rule = "the limit is " + limit + " per 24 h for " + origin.name().toLowerCase(Locale.ROOT) + " origin (library.titration."
                + origin.name().toLowerCase(Locale.ROOT) + ")";
        DailyRate lowest = inForce.stream().map(Program::dailyDose).min(DailyRate::compareTo).orElseThrow();
        DailyRate highest = inForce.stream().map(Program::dailyDose).max(DailyRate::compareTo).orElseThrow();
        DailyRate daily = candidate.dailyDose();
        if (above(daily, lowest, limit)) {
            findings.add(Finding.soft("daily dose " + daily + " is " + change(lowest, daily) + " above " + lowest
                    + ", the lowest daily dose " + what + "; " + rule));
        } else if (below(daily, highest, limit)) {
            findings.add(Finding.soft("daily dose " + daily + " is " + change(highest, daily) + " below " + highest
                    + ", the highest daily dose " + what + "; " + rule));
        }
        if (candidate instanceof FlexProgram || inForce.stream().anyMatch(p -> p instanceof FlexProgram)) {
            rates(candidate, inForce, limit, rule, findings);
        }
    }

    /** Rate against rate at each time of the week where any of the programs steps; the worst departure is reported. */
    private static void rates(Program candidate, List<Program> inForce, Percent limit, String rule, List<Finding> findings) {
        TreeSet<Integer> minutes = new TreeSet<>();
        minutes.add(0);
        addSteps(candidate, minutes);
        inForce.forEach(p -> addSteps(p, minutes));
        boolean weekly = !daily(candidate) || inForce.stream().anyMatch(p -> !daily(p));
        String worst = null;
        double worstRatio = 1;
        for (int minute : minutes) {
            DailyRate rate = rateAt(candidate, minute);
            DailyRate lowest = inForce.stream().map(p -> rateAt(p, minute)).min(DailyRate::compareTo).orElseThrow();
            DailyRate highest = inForce.stream().map(p -> rateAt(p, minute)).max(DailyRate::compareTo).orElseThrow();
            String when = "at " + time(minute, weekly) + " the rate would be " + rate + ", ";
            String then = " in force at that time of " + (weekly ? "the week" : "day") + " in the last 24 h; " + rule;
            if (above(rate, lowest, limit)) {
                double ratio = lowest.nanogramsPerDay() == 0 ? Double.POSITIVE_INFINITY : (double) rate.nanogramsPerDay() / lowest.nanogramsPerDay();
                if (worst == null || ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = when + change(lowest, rate) + " above " + lowest + ", the lowest rate" + then;
                }
            } else if (below(rate, highest, limit)) {
                double ratio = rate.nanogramsPerDay() == 0 ? Double.POSITIVE_INFINITY : (double) highest.nanogramsPerDay() / rate.nanogramsPerDay();
                if (worst == null || ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = when + change(highest, rate) + " below " + highest + ", the highest rate" + then;
                }
            }
        }
        if (worst != null) {
            findings.add(Finding.soft(worst));
        }
    }

    /** Whether {@code to} is more than {@code limit} above {@code from}: to − from > limit·from, exactly. */
    private static boolean above(DailyRate to, DailyRate from, Percent limit) {
        BigInteger diff = BigInteger.valueOf(to.nanogramsPerDay() - from.nanogramsPerDay());
        return diff.signum() > 0 && diff.multiply(BigInteger.valueOf(10_000))
                .compareTo(BigInteger.valueOf(limit.basisPoints()).multiply(BigInteger.valueOf(from.nanogramsPerDay()))) > 0;
    }

    /** Whether {@code to} is more than {@code limit} below {@code from}. */
    private static boolean below(DailyRate to, DailyRate from, Percent limit) {
        BigInteger diff = BigInteger.valueOf(from.nanogramsPerDay() - to.nanogramsPerDay());
        return diff.signum() > 0 && diff.multiply(BigInteger.valueOf(10_000))
                .compareTo(BigInteger.valueOf(limit.basisPoints()).multiply(BigInteger.valueOf(from.nanogramsPerDay()))) > 0;
    }

    /** The change from {@code from} to {@code to} in percent of {@code from}, e.g. "50%". */
    private static String change(DailyRate from, DailyRate to) {
        if (from.nanogramsPerDay() == 0) {
            return "infinitely";
        }
        long diff = Math.abs(to.nanogramsPerDay() - from.nanogramsPerDay());
        BigDecimal pct = BigDecimal.valueOf(diff).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(from.nanogramsPerDay()), 1, RoundingMode.HALF_UP);
        return pct.stripTrailingZeros().toPlainString() + "%";
    }

    private static void addSteps(Program p, Set<Integer> minutes) {
        if (p instanceof FlexProgram flex) {
            for (int m : flex.schedule().stepMinutes()) {
                minutes.add(m);
            }
        }
    }

    private static boolean daily(Program p) {
        return !(p instanceof FlexProgram flex) || flex.schedule().daily();
    }

    private static DailyRate rateAt(Program p, int minuteOfWeek) {
        return switch (p) {
            case ContinuousProgram c -> c.rate();
            case FlexProgram f -> f.schedule().rateAtMinuteOfWeek(minuteOfWeek);
        };
    }

    private static String time(int minuteOfWeek, boolean weekly) {
        int day = minuteOfWeek / 1_440;
        int m = minuteOfWeek % 1_440;
        String clock = String.format("%02d:%02d", m / 60, m % 60);
        return weekly ? DayOfWeek.of(day + 1).name().substring(0, 3).toLowerCase(Locale.ROOT) + " " + clock : clock;
    }
}
