package org.openitb.therapy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A program as a plain map of strings (units attached), for the journal, the store and JSON, and
 * back. Values are written the way they are parsed, so nothing is lost either way.
 */
public final class ProgramCodec {

    private ProgramCodec() {
    }

    public static Map<String, Object> toMap(Program program) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", program.mode());
        m.put("concentration", program.concentration().toString());
        switch (program) {
            case ContinuousProgram c -> m.put("rate", c.rate().toString());
            case FlexProgram f -> m.put("steps", f.schedule().steps().stream().map(FlexStep::toString).toList());
        }
        program.periodicBolus().ifPresent(p -> {
            Map<String, Object> periodic = new LinkedHashMap<>();
            periodic.put("dose", p.dose().toString());
            periodic.put("every", Durations.format(p.every()));
            periodic.put("over", Durations.format(p.over()));
            m.put("periodicBolus", periodic);
        });
        m.put("dailyDose", program.dailyDose().toString());
        return m;
    }

    /** Reads a map written by {@link #toMap}; anything else is refused with IllegalArgumentException. */
    public static Program fromMap(Map<?, ?> m) {
        Concentration concentration = Concentration.parse(string(m, "concentration"));
        Optional<PeriodicBolus> periodic = Optional.empty();
        if (m.get("periodicBolus") instanceof Map<?, ?> p) {
            periodic = Optional.of(new PeriodicBolus(Dose.parse(string(p, "dose")), Durations.parse(string(p, "every")),
                    Durations.parse(string(p, "over"))));
        }
        return switch (string(m, "mode")) {
            case "continuous" -> new ContinuousProgram(DailyRate.parse(string(m, "rate")), concentration, periodic);
            case "flex" -> {
                if (!(m.get("steps") instanceof List<?> steps)) {
                    throw new IllegalArgumentException("a flex program needs its steps");
                }
                yield new FlexProgram(new FlexSchedule(steps.stream().map(s -> FlexStep.parse(String.valueOf(s))).toList()),
                        concentration, periodic);
            }
            default -> throw new IllegalArgumentException("unknown program mode " + m.get("mode"));
        };
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("program field " + key + " is missing");
        }
        return s;
    }
}
