package org.openitb.therapy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The basal rate of a flex program as a function of wall time: the step whose time of day (and
 * weekday, if it has one) is the latest at or before the local time, wrapping round the week.
 *
 * <p>Being a function of the local clock is what makes it DST-safe: on a spring-forward day the
 * skipped hour is simply never dosed at its own rates, on a fall-back day the repeated hour is
 * dosed twice at its own rates, and in no case does a rate appear that the program does not hold.
 * Delivery itself runs on monotonic time; this schedule only says when the rate changes.
 */
public final class FlexSchedule {

    /** Steps per day at most: one every half hour. */
    public static final int MAX_STEPS_PER_DAY = 48;
    private static final int MINUTES_PER_DAY = 1_440;
    /** Days ahead that {@link #nextChange} looks for a change; a week plus a day covers every schedule. */
    private static final int LOOKAHEAD_DAYS = 9;

    private final List<FlexStep> steps;
    /** Minute of the week (Monday 00:00 = 0) of each effective step, ascending, and its rate. */
    private final int[] minutes;
    private final DailyRate[] rates;
    /** Computed once: status, the journal and every state write report it, and the schedule never changes. */
    private final DailyRate maxDailyDose;

    public FlexSchedule(List<FlexStep> steps) {
        this.steps = List.copyOf(steps);
        if (this.steps.isEmpty()) {
            throw new IllegalArgumentException("a flex program needs at least one step");
        }
        Set<String> seen = new HashSet<>();
        for (FlexStep step : this.steps) {
            if (!seen.add(step.day().map(Enum::name).orElse("*") + step.at())) {
                throw new IllegalArgumentException("two steps at " + step.day().map(d -> d + " ").orElse("") + step.at());
            }
        }
        TreeMap<Integer, DailyRate> week = new TreeMap<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            TreeMap<LocalTime, DailyRate> today = new TreeMap<>();
            this.steps.stream().filter(s -> s.day().isEmpty()).forEach(s -> today.put(s.at(), s.rate()));
            // A weekday's own step replaces an every-day step at the same time.
            this.steps.stream().filter(s -> s.day().equals(Optional.of(day))).forEach(s -> today.put(s.at(), s.rate()));
            if (today.size() > MAX_STEPS_PER_DAY) {
                throw new IllegalArgumentException(day + " has " + today.size() + " steps; at most " + MAX_STEPS_PER_DAY + " a day");
            }
            int base = (day.getValue() - 1) * MINUTES_PER_DAY;
            today.forEach((time, rate) -> week.put(base + time.getHour() * 60 + time.getMinute(), rate));
        }
        this.minutes = week.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.rates = week.values().toArray(DailyRate[]::new);
        this.maxDailyDose = heaviestDay();
    }

    public List<FlexStep> steps() {
        return steps;
    }

    /** The basal rate at wall time {@code wall}. */
    public DailyRate rateAt(ZonedDateTime wall) {
        return rateAtMinute((wall.getDayOfWeek().getValue() - 1) * MINUTES_PER_DAY + wall.getHour() * 60 + wall.getMinute());
    }

    /**
     * The first instant after {@code after} at which the rate differs from the rate at {@code after}:
     * a step time (a step inside a spring-forward gap takes effect when the gap starts) or a zone
     * transition (falling back can return to an earlier step). Empty if the rate never changes.
     */
    public Optional<Instant> nextChange(Instant after, ZoneId zone) {
        DailyRate current = rateAt(after.atZone(zone));
        ZoneRules rules = zone.getRules();
        TreeSet<Instant> candidates = new TreeSet<>();
        LocalDate first = after.atZone(zone).toLocalDate().minusDays(1);
        Set<LocalTime> times = new TreeSet<>(Comparator.naturalOrder());
        steps.forEach(s -> times.add(s.at()));
        for (int d = 0; d <= LOOKAHEAD_DAYS; d++) {
            LocalDate date = first.plusDays(d);
            for (LocalTime time : times) {
                LocalDateTime local = date.atTime(time);
                List<ZoneOffset> offsets = rules.getValidOffsets(local);
                if (offsets.isEmpty()) {
                    candidates.add(rules.getTransition(local).getInstant());
                } else {
                    offsets.forEach(offset -> candidates.add(local.toInstant(offset)));
                }
            }
        }
        Instant horizon = after.plus(Duration.ofDays(LOOKAHEAD_DAYS - 1));
        for (ZoneOffsetTransition t = rules.nextTransition(after); t != null && t.getInstant().isBefore(horizon);
                t = rules.nextTransition(t.getInstant())) {
            candidates.add(t.getInstant());
        }
        for (Instant candidate : candidates.tailSet(after, false)) {
            if (!rateAt(candidate.atZone(zone)).equals(current)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The highest step rate. */
    public DailyRate maxRate() {
        DailyRate max = rates[0];
        for (DailyRate r : rates) {
            max = r.compareTo(max) > 0 ? r : max;
        }
        return max;
    }

    /**
     * The largest total of any 24 h, midnight or not, rounded up to the nanogram: what the drug
     * library checks, so a heavier weekday, or an evening high that runs into the next morning's
     * high, cannot hide behind a lighter calendar-day total.
     */
    public DailyRate maxDailyDose() {
        return maxDailyDose;
    }

    /** Minutes in a week. */
    public static final int MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

    /** The basal rate at {@code minuteOfWeek} of local time (Monday 00:00 = 0). */
    public DailyRate rateAtMinuteOfWeek(int minuteOfWeek) {
        if (minuteOfWeek < 0 || minuteOfWeek >= MINUTES_PER_WEEK) {
            throw new IllegalArgumentException("minute of the week must be 0 to " + (MINUTES_PER_WEEK - 1) + ", not " + minuteOfWeek);
        }
        return rateAtMinute(minuteOfWeek);
    }

    /** The minutes of the week (Monday 00:00 = 0) at which a step takes effect, ascending. */
    public int[] stepMinutes() {
        return minutes.clone();
    }

    /** Every rate the schedule runs at. */
    public List<DailyRate> rates() {
        return List.of(rates);
    }

    private DailyRate heaviestDay() {
        // The rate of each minute of the week, in one pass (the step in force only moves forward)...
        long[] perMinute = new long[MINUTES_PER_WEEK];
        int current = rates.length - 1; // before the week's first step: last week's last step
        int next = 0;
        for (int m = 0; m < MINUTES_PER_WEEK; m++) {
            while (next < minutes.length && minutes[next] <= m) {
                current = next++;
            }
            perMinute[m] = rates[current].nanogramsPerDay();
        }
        // ...then a window of 1 440 minutes slid once round the week, wrapping into the next. A rate
        // is at most 10^8 ng/day (DailyRate's bound), so a day of minutes fits a long easily.
        long window = 0;
        for (int m = 0; m < MINUTES_PER_DAY; m++) {
            window += perMinute[m];
        }
        long best = window;
        for (int start = 1; start < MINUTES_PER_WEEK; start++) {
            window += perMinute[(start + MINUTES_PER_DAY - 1) % MINUTES_PER_WEEK] - perMinute[start - 1];
            best = Math.max(best, window);
        }
        return new DailyRate(Math.ceilDiv(best, MINUTES_PER_DAY));
    }

    private DailyRate rateAtMinute(int minuteOfWeek) {
        int index = rates.length - 1; // before the week's first step: last week's last step

        for (int i = 0; i < minutes.length && minutes[i] <= minuteOfWeek; i++) {
            index = i;
        }
        return rates[index];
    }

    /** The effective steps of one weekday, for display. */
    public List<String> describeDay(DayOfWeek day) {
        List<String> out = new ArrayList<>();
        int base = (day.getValue() - 1) * MINUTES_PER_DAY;
        for (int i = 0; i < minutes.length; i++) {
            if (minutes[i] >= base && minutes[i] < base + MINUTES_PER_DAY) {
                int m = minutes[i] - base;
                out.add(String.format("%02d:%02d %s", m / 60, m % 60, rates[i]));
            }
        }
        return out;
    }

    /** Whether every weekday has the same steps. */
    public boolean daily() {
        return steps.stream().allMatch(s -> s.day().isEmpty());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlexSchedule other && steps.equals(other.steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
