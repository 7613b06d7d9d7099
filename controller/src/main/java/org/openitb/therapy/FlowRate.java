package org.openitb.therapy;

import java.util.List;
import java.util.Map;

/** A volume per time, exact to the picolitre per hour. Written in mL/min, mL/h or uL/min. */
public record FlowRate(long picolitresPerHour) implements Comparable<FlowRate> {

    private static final long PL_PER_ML = 1_000_000_000L;
    private static final long PL_PER_UL = 1_000_000L;
    /** 1 L/min: no syringe pump comes near it. */
    private static final long MAX_PL_PER_HOUR = 60 * 1_000 * PL_PER_ML;

    public FlowRate {
        if (picolitresPerHour <= 0) {
            throw new InvalidQuantityException("a flow rate must be positive: " + picolitresPerHour + " pL/h");
        }
    }

    /** Parses {@code 1mL/min}, {@code 60mL/h}, {@code 500uL/min} or {@code 33.333uL/h}. */
    public static FlowRate parse(String text) {
        return new FlowRate(Quantity.parse(text, "a flow rate", "1mL/min", List.of(
                new Quantity.Unit("mL/min", 60 * PL_PER_ML), new Quantity.Unit("mL/h", PL_PER_ML),
                new Quantity.Unit("uL/min", 60 * PL_PER_UL), new Quantity.Unit("µL/min", 60 * PL_PER_UL),
                new Quantity.Unit("uL/h", PL_PER_UL), new Quantity.Unit("µL/h", PL_PER_UL)),
                MAX_PL_PER_HOUR, "1pL/h", Map.of("ml/s", "write mL/min")));
    }

    @Override
    public int compareTo(FlowRate other) {
        return Long.compare(picolitresPerHour, other.picolitresPerHour);
    }

    /** In mL/min when exact to 0.001 mL/min, else in mL/h. */
    @Override
    public String toString() {
        return picolitresPerHour % (60 * PL_PER_UL) == 0
                ? Quantity.format(picolitresPerHour, 60 * PL_PER_ML) + "mL/min"
                : Quantity.format(picolitresPerHour, PL_PER_ML) + "mL/h";
    }
}
