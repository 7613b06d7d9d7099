package org.openitb.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed, bounded reads of config keys in the manner of Klipper: each read names its key, its
 * default (or that it is required) and its bounds; a bad value becomes a problem naming key,
 * value and what is allowed, and reading goes on so that every problem is found in one pass.
 * Keys that nothing read are unknown: typos must not pass silently.
 */
final class ConfigReader {

    private final Map<String, String> values;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    ConfigReader(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    /**
     * The value of {@code key} parsed by {@code parse}, or null after recording a problem.
     *
     * @param fallback    the default as it would be written in the file; null: the key is required
     * @param expectation what a good value looks like, for the "is required" message
     */
    <T> T read(String key, String fallback, String expectation, Function<String, T> parse) {
        known.add(key);
        String text = values.get(key);
        if (text == null) {
            if (fallback == null) {
                problems.add(key + " is required: " + expectation);
                return null;
            }
            text = fallback;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problems.add(key + " = " + text + ": " + e.getMessage());
            return null;
        }
    }

    /** Like {@link #read}, then checks {@code min <= value <= max}. */
    <T extends Comparable<T>> T bounded(String key, String fallback, String expectation, Function<String, T> parse, T min, T max) {
        return bounded(key, fallback, expectation, parse, min, max, String::valueOf);
    }

    /** Like {@link #bounded(String, String, String, Function, Comparable, Comparable)}, writing the bounds with {@code show}. */
    <T extends Comparable<T>> T bounded(String key, String fallback, String expectation, Function<String, T> parse, T min, T max,
            Function<T, String> show) {
        T value = read(key, fallback, expectation, parse);
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            problems.add(key + " = " + values.getOrDefault(key, fallback) + ": must be from " + show.apply(min) + " to " + show.apply(max));
            return null;
        }
        return value;
    }

    /** Whether the file sets {@code key} (to anything, even empty). */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The text written for {@code key}, or {@code fallback}. */
    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** Records a problem found by a check across keys. */
    void problem(String message) {
        problems.add(message);
    }

    boolean hasProblems() {
        return !problems.isEmpty() || !unknownKeys().isEmpty();
    }

    /** Every problem: unknown keys first (a typo is the likeliest cause of the rest), then the others in reading order. */
    List<String> problems() {
        List<String> all = new ArrayList<>();
        for (String key : unknownKeys()) {
            String suggestion = closest(key);
            all.add("unknown key " + key + " = " + values.get(key)
                    + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                    + "; every key is listed in the example config/openitb.properties");
        }
        all.addAll(problems);
        return all;
    }

    /** Keys the reads so far asked for, in reading order. */
    Set<String> knownKeys() {
        return Set.copyOf(known);
    }

    private List<String> unknownKeys() {
        return values.keySet().stream().filter(k -> !known.contains(k)).toList();
    }

    /** The known key nearest to a misspelt one, if it is near enough to be a typo. */
    private String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
