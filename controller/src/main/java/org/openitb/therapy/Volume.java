package org.openitb.therapy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** A volume of solution, exact to the picolitre: fine enough for one microstep of a small syringe. */
public record Volume(long picolitres) implements Comparable<Volume> {

    public static final Volume ZERO = new Volume(0);
    private static final long PL_PER_NL = 1_000L;
    private static final long PL_PER_UL = 1_000_000L;
    private static final long PL_PER_ML = 1_000_000_000L;
    /** 10 L: no bench reservoir comes near it. */
    private static final long MAX_PL = 10_000 * PL_PER_ML;

    public Volume {
        if (picolitres < 0) {
            throw new InvalidQuantityException("a volume cannot be negative: " + picolitres + " pL");
        }
    }

    /** Parses {@code 20mL}, {@code 5uL} or {@code 72.3nL}. */
    public static Volume parse(String text) {
        return new Volume(Quantity.parse(text, "a volume", "20mL", List.of(
                new Quantity.Unit("mL", PL_PER_ML), new Quantity.Unit("uL", PL_PER_UL),
                new Quantity.Unit("µL", PL_PER_UL), new Quantity.Unit("nL", PL_PER_NL)),
                MAX_PL, "0.001nL", Map.of("l", "write mL", "cc", "write mL")));
    }

    public static Volume ofMillilitres(long millilitres) {
        return new Volume(Math.multiplyExact(millilitres, PL_PER_ML));
    }

    @Override
    public int compareTo(Volume other) {
        return Long.compare(picolitres, other.picolitres);
    }

    /** For people, a small amount: uL with three decimals, rounded up so an uncertainty is never understated (e.g. {@code 1.438uL}). */
    public String toMicrolitreString() {
        return BigDecimal.valueOf(picolitres, 6).setScale(3, RoundingMode.UP).toPlainString() + "uL";
    }

    /** For people: mL with three decimals, rounded down (e.g. {@code 12.000mL}); {@link #toString} is the exact form. */
    public String toDisplayString() {
        return BigDecimal.valueOf(picolitres, 9).setScale(3, RoundingMode.DOWN).toPlainString() + "mL";
    }

    /** In mL when that is exact to 0.001 mL (e.g. {@code 20mL}, {@code 0.25mL}), else in nL (e.g. {@code 72.3nL}). */
    @Override
    public String toString() {
        if (picolitres % PL_PER_UL == 0 && picolitres >= PL_PER_UL) {
            return Quantity.format(picolitres, PL_PER_ML) + "mL";
        }
        return Quantity.format(picolitres, PL_PER_NL) + "nL";
    }
}
