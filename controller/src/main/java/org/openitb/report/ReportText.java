package org.openitb.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openitb.store.Sample;

/** The words of a pump's report: counts with their nouns, spans as people say them, journal details as text. */
public final class ReportText {

    private ReportText() {
    }

    /** An instant as the pump's zone reads it, to the minute, or to the second where it has seconds: "2026-03-01 14:05:49". */
    public static String local(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }

    /** "1 sample", "2 samples". */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A span as people say it, to the minute: "3 h 05 min", "45 min", "2 d 4 h". */
    static String span(Duration d) {
        long minutes = (d.toSeconds() + 30) / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
        }
        return String.format(Locale.ROOT, "%d d %d h", minutes / 1440, minutes % 1440 / 60);
    }

    /** With its sign, to 0.1; a figure that rounds to zero has none ("0.0": "+0.0" reads as more, "-0.0" as less). */
    public static String signed(double v) {
        double r = tenths(v);
        return r == 0 ? "0.0" : String.format(Locale.ROOT, "%+.1f", r);
    }

    /** {@code v} to {@code decimals} places, whatever the locale. */
    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static double tenths(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The patient's total against the program's, in words: less, more, or the same to 0.1 mcg. */
    static String shortfall(double shortfallMcg, double programMcg) {
        double r = tenths(shortfallMcg);
        if (r == 0) {
            return "The patient got what the program asked for, to 0.1 mcg.";
        }
        String percent = programMcg > 0 ? String.format(Locale.ROOT, " (%.1f %%)", Math.abs(r) / programMcg * 100) : "";
        return String.format(Locale.ROOT, "The patient got %.1f mcg %s than the program asked for%s.", Math.abs(r), r < 0 ? "less" : "more", percent);
    }

    /** Where the syringe ran empty, if the last sample has it empty: from the first of the empty run at the end, if it began in the range. */
    static int emptySince(List<Sample> samples) {
        int i = samples.size();
        while (i > 0 && samples.get(i - 1).reservoirPl() == 0) {
            i--;
        }
        return i;
    }

    /**
     * A journal entry's details as "key value, key value": nested objects as their own text in
     * brackets, lists as "a; b", and an empty list or object left out (an "overridden" with nothing
     * overridden says nothing).
     */
    static String details(JsonObject details) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonElement> e : details.entrySet()) {
            String value = value(e.getValue());
            if (!value.isEmpty()) {
                b.append(b.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(value);
            }
        }
        return b.toString();
    }

    private static String value(JsonElement v) {
        if (v.isJsonObject()) {
            String inner = details(v.getAsJsonObject());
            return inner.isEmpty() ? "" : "(" + inner + ")";
        }
        if (v.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            v.getAsJsonArray().forEach(x -> b.append(b.isEmpty() ? "" : "; ").append(value(x)));
            return b.toString();
        }
        return v.isJsonPrimitive() ? v.getAsString() : "";
    }
}
