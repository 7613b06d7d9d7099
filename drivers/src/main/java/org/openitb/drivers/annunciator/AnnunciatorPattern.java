package org.openitb.drivers.annunciator;

import java.util.Arrays;

/**
 * Light and sound patterns in the manner of IEC 60601-1-8, as pure functions of the time since a
 * pattern started. High: light flashing at 2 Hz, a burst of ten 150 ms tones (3 + 2, twice) every
 * 6.4 s. Medium: light flashing at 0.625 Hz, a burst of three 200 ms tones every 6.9 s. Low: steady
 * light, no sound. All times in milliseconds here, nanoseconds at the interface.
 */
public final class AnnunciatorPattern {

    /** Whether one output is on at an instant, and when (ns after the pattern start) that next changes. */
    public record Signal(boolean on, long nextChangeNanos) {
    }

    private static final long MS = 1_000_000L;
    private static final long NEVER = Long.MAX_VALUE;

    /** High: 250 ms on / 250 ms off = 2.0 Hz, inside the standard's 1.4–2.8 Hz. */
    static final long[] HIGH_LED_MS = {250, 250};
    /** High burst: tone, gap, tone, ... ending with the gap to the next burst. */
    static final long[] HIGH_BUZZER_MS = {150, 100, 150, 100, 150, 350, 150, 100, 150, 600,
        150, 100, 150, 100, 150, 350, 150, 100, 150, 3000};
    /** Medium: 800 ms on / 800 ms off = 0.625 Hz, inside 0.4–0.8 Hz. */
    static final long[] MEDIUM_LED_MS = {800, 800};
    static final long[] MEDIUM_BUZZER_MS = {200, 150, 200, 150, 200, 6000};

    /** The shortest gap between two tones of a burst: how long an output rests before a new pattern starts on it. */
    public static final long SHORTEST_GAP_NANOS = 100 * MS;

    private AnnunciatorPattern() {
    }

    /** The light for {@code priority} at {@code elapsedNanos} after its pattern started. */
    public static Signal light(Priority priority, long elapsedNanos) {
        checkElapsed(elapsedNanos);
        return switch (priority) {
            case NONE -> new Signal(false, NEVER);
            case LOW -> new Signal(true, NEVER);
            case MEDIUM -> cycle(MEDIUM_LED_MS, elapsedNanos);
            case HIGH -> cycle(HIGH_LED_MS, elapsedNanos);
        };
    }

    /** The sound for {@code priority} at {@code elapsedNanos} after its pattern started (low and none are quiet). */
    public static Signal sound(Priority priority, long elapsedNanos) {
        checkElapsed(elapsedNanos);
        return switch (priority) {
            case NONE, LOW -> new Signal(false, NEVER);
            case MEDIUM -> cycle(MEDIUM_BUZZER_MS, elapsedNanos);
            case HIGH -> cycle(HIGH_BUZZER_MS, elapsedNanos);
        };
    }

    /** Tones in one burst. */
    public static int tonesPerBurst(Priority priority) {
        return switch (priority) {
            case HIGH -> HIGH_BUZZER_MS.length / 2;
            case MEDIUM -> MEDIUM_BUZZER_MS.length / 2;
            default -> 0;
        };
    }

    /** Time from one burst's start to the next, ns (0 without sound). */
    public static long burstPeriodNanos(Priority priority) {
        return switch (priority) {
            case HIGH -> sum(HIGH_BUZZER_MS) * MS;
            case MEDIUM -> sum(MEDIUM_BUZZER_MS) * MS;
            default -> 0;
        };
    }

    private static void checkElapsed(long elapsedNanos) {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("elapsed time cannot be negative: " + elapsedNanos);
        }
    }

    /** For an on/off/on/off... cycle in ms: whether it is on, and the ns of the next change. */
    private static Signal cycle(long[] segmentsMs, long elapsedNanos) {
        long periodNanos = sum(segmentsMs) * MS;
        long edge = elapsedNanos - elapsedNanos % periodNanos;
        for (int i = 0; i < segmentsMs.length; i++) {
            edge += segmentsMs[i] * MS;
            if (elapsedNanos < edge) {
                return new Signal(i % 2 == 0, edge);
            }
        }
        throw new AssertionError("elapsed time beyond its own period");
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).sum();
    }
}
