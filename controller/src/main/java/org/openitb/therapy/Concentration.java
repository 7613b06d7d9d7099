package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/** Drug per volume in the reservoir, exact to the nanogram per mL. Written in mcg/mL. */
public record Concentration(long nanogramsPerMl) implements Comparable<Concentration> {

    private static final long NG_PER_MCG = 1_000;
    /** 100 mg/mL: fifty times the strongest intrathecal solution. */
    private static final long MAX_NG_PER_ML = 100_000_000L;

    public Concentration {
        if (nanogramsPerMl <= 0) {
            throw new InvalidQuantityException("a concentration must be positive: " + nanogramsPerMl + " ng/mL");
        }
    }

    /** Parses {@code 500mcg/mL}. */
    public static Concentration parse(String text) {
        return new Concentration(Quantity.parse(text, "a concentration", "500mcg/mL",
                List.of(new Quantity.Unit("mcg/mL", NG_PER_MCG)), MAX_NG_PER_ML, "0.001mcg/mL",
                Map.of("mg/ml", "concentrations are written in mcg/mL: 2 mg/mL is 2000mcg/mL")));
    }

    public static Concentration ofMicrogramsPerMl(long mcgPerMl) {
        return new Concentration(Math.multiplyExact(mcgPerMl, NG_PER_MCG));
    }

    @Override
    public int compareTo(Concentration other) {
        return Long.compare(nanogramsPerMl, other.nanogramsPerMl);
    }

    /** E.g. {@code 500mcg/mL}. */
    @Override
    public String toString() {
        return Quantity.format(nanogramsPerMl, NG_PER_MCG) + "mcg/mL";
    }
}
