package org.openitb.therapy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a flex program: from this time of day on (on one weekday, or every day) the basal
 * rate is {@code rate}, until the next step.
 */
public record FlexStep(Optional<DayOfWeek> day, LocalTime at, DailyRate rate) {

    public FlexStep {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(rate, "rate");
        if (at.getSecond() != 0 || at.getNano() != 0) {
            throw new IllegalArgumentException("flex steps start on a whole minute, not " + at);
        }
    }

    /** Parses {@code 06:00=350mcg/day} or {@code mon@06:00=350mcg/day}. */
    public static FlexStep parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty flex step; expected HH:MM=RATE like 06:00=350mcg/day");
        }
        String[] parts = text.strip().split("=", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not a flex step; expected HH:MM=RATE like 06:00=350mcg/day"
                    + " or DAY@HH:MM=RATE like mon@06:00=350mcg/day");
        }
        Optional<DayOfWeek> day = Optional.empty();
        String time = parts[0].strip();
        int at = time.indexOf('@');
        if (at >= 0) {
            day = Optional.of(parseDay(time.substring(0, at)));
            time = time.substring(at + 1);
        }
        if (!time.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            throw new IllegalArgumentException("'" + parts[0].strip() + "' is not a time of day; expected HH:MM from 00:00 to 23:59");
        }
        return new FlexStep(day, LocalTime.parse(time), DailyRate.parse(parts[1]));
    }

    private static DayOfWeek parseDay(String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(text.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a weekday; use mon, tue, wed, thu, fri, sat or sun");
    }

    @Override
    public String toString() {
        return day.map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT) + "@").orElse("") + at + "=" + rate;
    }
}
