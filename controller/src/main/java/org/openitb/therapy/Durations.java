package org.openitb.therapy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Durations written with their unit: {@code 250us}, {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
public final class Durations {

    private static final long NS_PER_US = 1_000L;
    private static final long NS_PER_MS = 1_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;
    /** 400 days: longer than any refill interval; more is a typo. */
    private static final long MAX_NS = 400L * 86_400L * NS_PER_S;

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text != null && text.strip().matches("[0-9.]+\\s*[a-zA-Zµ]+\\s*[0-9.]+\\s*[a-zA-Zµ]*")) {
            // "1h30m": one unit per duration, said plainly rather than "'1h30m' is in h30m".
            throw new InvalidQuantityException("'" + text.strip() + "' has two units; a duration is one number with one unit, like 90m or 1.5h");
        }
        return Duration.ofNanos(Quantity.parse(text, "a duration", "10m", List.of(
                new Quantity.Unit("us", NS_PER_US), new Quantity.Unit("µs", NS_PER_US),
                new Quantity.Unit("ms", NS_PER_MS), new Quantity.Unit("s", NS_PER_S),
                new Quantity.Unit("m", 60 * NS_PER_S), new Quantity.Unit("min", 60 * NS_PER_S),
                new Quantity.Unit("h", 3_600 * NS_PER_S), new Quantity.Unit("d", 86_400 * NS_PER_S)),
                MAX_NS, "1ns", Map.of()));
    }

    /** An exact writing, in the largest whole unit if there is one: {@code 2h}, {@code 90s}, {@code 1500us}, {@code 1.000000001s}. */
    public static String format(Duration duration) {
        long ns = duration.toNanos();
        long[] units = {86_400 * NS_PER_S, 3_600 * NS_PER_S, 60 * NS_PER_S, NS_PER_S, NS_PER_MS, NS_PER_US};
        String[] names = {"d", "h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            // A whole number of the unit, short enough to read back (at most 12 digits).
            if (ns != 0 && ns % units[i] == 0 && ns / units[i] < 1_000_000_000_000L) {
                return ns / units[i] + names[i];
            }
        }
        if (ns == 0) {
            return "0s";
        }
        return ns < NS_PER_S ? Quantity.format(ns, NS_PER_US) + "us" : Quantity.format(ns, NS_PER_S) + "s";
    }
}
