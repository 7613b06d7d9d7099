package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/** A rate of events, in whole hertz (steps per second). */
public record Frequency(long hertz) implements Comparable<Frequency> {

    private static final long MAX_HZ = 1_000_000L;

    public Frequency {
        if (hertz <= 0) {
            throw new InvalidQuantityException("a frequency must be positive: " + hertz + " Hz");
        }
    }

    /** Parses {@code 1000Hz}. */
    public static Frequency parse(String text) {
        return new Frequency(Quantity.parse(text, "a frequency", "1000Hz", List.of(new Quantity.Unit("Hz", 1)),
                MAX_HZ, "1Hz", Map.of("/s", "write Hz")));
    }

    @Override
    public int compareTo(Frequency other) {
        return Long.compare(hertz, other.hertz);
    }

    @Override
    public String toString() {
        return hertz + "Hz";
    }
}
