package org.openitb.therapy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Flex delivery: basal rates that step at chosen times of day, optionally per weekday, repeating. */
public record FlexProgram(FlexSchedule schedule, Concentration concentration, Optional<PeriodicBolus> periodicBolus)
        implements Program {

    public FlexProgram {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(concentration, "concentration");
        Objects.requireNonNull(periodicBolus, "periodicBolus");
    }

    @Override
    public DailyRate basalRateAt(ZonedDateTime wall) {
        return schedule.rateAt(wall);
    }

    @Override
    public Optional<Instant> nextBasalChange(Instant after, ZoneId zone) {
        return schedule.nextChange(after, zone);
    }

    @Override
    public DailyRate maxBasalRate() {
        return schedule.maxRate();
    }

    @Override
    public DailyRate dailyDose() {
        return new DailyRate(Math.addExact(schedule.maxDailyDose().nanogramsPerDay(),
                periodicBolus.map(p -> p.perDay().nanogramsPerDay()).orElse(0L)));
    }

    @Override
    public String mode() {
        return "flex";
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>(List.of("mode flex", "concentration " + concentration));
        if (schedule.daily()) {
            schedule.describeDay(DayOfWeek.MONDAY).forEach(step -> lines.add("  " + step));
        } else {
            for (DayOfWeek day : DayOfWeek.values()) {
                String name = day.name().substring(0, 3).toLowerCase(Locale.ROOT);
                schedule.describeDay(day).forEach(step -> lines.add("  " + name + " " + step));
            }
        }
        periodicBolus.ifPresent(p -> lines.add("periodic bolus " + p));
        lines.add("daily dose up to " + dailyDose());
        return lines;
    }
}
