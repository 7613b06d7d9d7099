package org.openitb.therapy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A mass on a balance (the fluid a pump pushed out, a balance's readability), exact to the
 * nanogram. Not a dose: a dose of drug is a {@link Dose}, written in mcg; a mass of fluid is written
 * in g, mg or ug, as a balance shows it.
 */
public record Mass(long nanograms) implements Comparable<Mass> {

    private static final long NG_PER_UG = 1_000L;
    private static final long NG_PER_MG = 1_000_000L;
    private static final long NG_PER_G = 1_000_000_000L;
    /** 10 kg: no bench balance weighs more. */
    private static final long MAX_NG = 10_000 * NG_PER_G;

    public Mass {
        if (nanograms < 0) {
            throw new InvalidQuantityException("a mass cannot be negative: " + nanograms + " ng");
        }
    }

    /** Parses {@code 0.00001g}, {@code 0.01mg} or {@code 20ug}. */
    public static Mass parse(String text) {
        return new Mass(Quantity.parse(text, "a mass", "0.7150g", List.of(
                new Quantity.Unit("g", NG_PER_G), new Quantity.Unit("mg", NG_PER_MG), new Quantity.Unit("ug", NG_PER_UG),
                new Quantity.Unit("µg", NG_PER_UG)), MAX_NG, "1ng",
                Map.of("mcg", "mcg is for doses of drug; write a mass on the balance in ug", "kg", "write g", "ml", "that is a volume")));
    }

    /** In grams, exact, without trailing zeros. */
    public BigDecimal grams() {
        return BigDecimal.valueOf(nanograms, 9).stripTrailingZeros();
    }

    @Override
    public int compareTo(Mass other) {
        return Long.compare(nanograms, other.nanograms);
    }

    /** In g (e.g. {@code 0.00001g}), exact. */
    @Override
    public String toString() {
        return grams().toPlainString() + "g";
    }
}
