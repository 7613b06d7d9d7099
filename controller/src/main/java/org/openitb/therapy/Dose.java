package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/**
 * An amount of drug, exact to the nanogram. Written in mcg only: accepting mg as well would make
 * a thousandfold error one typo away.
 */
public record Dose(long nanograms) implements Comparable<Dose> {

    public static final Dose ZERO = new Dose(0);
    private static final long NG_PER_MCG = 1_000;
    /** 1 g: far beyond any intrathecal dose, so anything above it is a typo. */
    private static final long MAX_NG = 1_000_000_000L;

    public Dose {
        if (nanograms < 0) {
            throw new InvalidQuantityException("a dose cannot be negative: " + nanograms + " ng");
        }
    }

    /** Parses {@code 50mcg}. */
    public static Dose parse(String text) {
        return new Dose(Quantity.parse(text, "a dose", "50mcg", List.of(new Quantity.Unit("mcg", NG_PER_MCG)),
                MAX_NG, "0.001mcg", Map.of("mg", "doses are written in mcg to keep a thousandfold error out of reach",
                        "ug", "write mcg", "µg", "write mcg", "mcg/day", "that is a daily rate")));
    }

    public static Dose ofMicrograms(long micrograms) {
        return new Dose(Math.multiplyExact(micrograms, NG_PER_MCG));
    }

    public Dose plus(Dose other) {
        return new Dose(Math.addExact(nanograms, other.nanograms));
    }

    @Override
    public int compareTo(Dose other) {
        return Long.compare(nanograms, other.nanograms);
    }

    /** E.g. {@code 50mcg}, {@code 0.5mcg}. */
    @Override
    public String toString() {
        return Quantity.format(nanograms, NG_PER_MCG) + "mcg";
    }
}
