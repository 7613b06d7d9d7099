package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/** A fraction written in percent, exact to 0.01 %. */
public record Percent(long basisPoints) implements Comparable<Percent> {

    private static final long BP_PER_PERCENT = 100;

    public Percent {
        if (basisPoints < 0 || basisPoints > 100 * BP_PER_PERCENT) {
            throw new InvalidQuantityException("a percentage must be within 0..100%: " + basisPoints + " basis points");
        }
    }

    /** Parses {@code 30%}. */
    public static Percent parse(String text) {
        return new Percent(Quantity.parse(text, "a percentage", "30%", List.of(new Quantity.Unit("%", BP_PER_PERCENT)),
                100 * BP_PER_PERCENT, "0.01%", Map.of()));
    }

    public static Percent of(long percent) {
        return new Percent(Math.multiplyExact(percent, BP_PER_PERCENT));
    }

    @Override
    public int compareTo(Percent other) {
        return Long.compare(basisPoints, other.basisPoints);
    }

    @Override
    public String toString() {
        return Quantity.format(basisPoints, BP_PER_PERCENT) + "%";
    }
}
