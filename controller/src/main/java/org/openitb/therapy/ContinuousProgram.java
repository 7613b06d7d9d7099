package org.openitb.therapy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Simple continuous delivery: one basal rate, day and night. */
public record ContinuousProgram(DailyRate rate, Concentration concentration, Optional<PeriodicBolus> periodicBolus)
        implements Program {

    public ContinuousProgram {
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(concentration, "concentration");
        Objects.requireNonNull(periodicBolus, "periodicBolus");
    }

    public ContinuousProgram(DailyRate rate, Concentration concentration) {
        this(rate, concentration, Optional.empty());
    }

    @Override
    public DailyRate basalRateAt(ZonedDateTime wall) {
        return rate;
    }

    @Override
    public Optional<Instant> nextBasalChange(Instant after, ZoneId zone) {
        return Optional.empty();
    }

    @Override
    public DailyRate maxBasalRate() {
        return rate;
    }

    @Override
    public DailyRate dailyDose() {
        return new DailyRate(Math.addExact(rate.nanogramsPerDay(), periodicBolus.map(p -> p.perDay().nanogramsPerDay()).orElse(0L)));
    }

    @Override
    public String mode() {
        return "continuous";
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>(List.of("mode continuous", "rate " + rate, "concentration " + concentration));
        periodicBolus.ifPresent(p -> lines.add("periodic bolus " + p));
        lines.add("daily dose " + dailyDose());
        return lines;
    }
}
