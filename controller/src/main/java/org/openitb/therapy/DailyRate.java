package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/** A prescribed rate of drug per day, exact to the nanogram per day. Written in mcg/day. */
public record DailyRate(long nanogramsPerDay) implements Comparable<DailyRate> {

    public static final DailyRate ZERO = new DailyRate(0);
    private static final long NG_PER_MCG = 1_000;
    /** 100 mg/day: two orders of magnitude above the highest maintenance doses in the literature. */
    private static final long MAX_NG_PER_DAY = 100_000_000L;

    public DailyRate {
        if (nanogramsPerDay < 0) {
            throw new InvalidQuantityException("a daily rate cannot be negative: " + nanogramsPerDay + " ng/day");
        }
    }

    /** Parses {@code 400mcg/day}. */
    public static DailyRate parse(String text) {
        return new DailyRate(Quantity.parse(text, "a daily rate", "400mcg/day",
                List.of(new Quantity.Unit("mcg/day", NG_PER_MCG), new Quantity.Unit("mcg/d", NG_PER_MCG)),
                MAX_NG_PER_DAY, "0.001mcg/day", Map.of("mg/day", "daily rates are written in mcg/day",
                        "mcg", "that is a dose; a rate is per day", "mcg/h", "write the daily rate in mcg/day")));
    }

    public static DailyRate ofMicrogramsPerDay(long mcgPerDay) {
        return new DailyRate(Math.multiplyExact(mcgPerDay, NG_PER_MCG));
    }

    @Override
    public int compareTo(DailyRate other) {
        return Long.compare(nanogramsPerDay, other.nanogramsPerDay);
    }

    /** E.g. {@code 400mcg/day}. */
    @Override
    public String toString() {
        return Quantity.format(nanogramsPerDay, NG_PER_MCG) + "mcg/day";
    }
}
