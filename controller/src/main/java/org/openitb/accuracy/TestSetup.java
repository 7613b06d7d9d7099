package org.openitb.accuracy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.openitb.therapy.Durations;

/**
 * What a gravimetric test compares its readings with, and how it reads them.
 *
 * @param rateUlPerHour        the programmed (or chosen) volume rate r, uL/h
 * @param densityGPerMl        the fluid's density, g/mL (water at 20-25 C: 0.997-0.998)
 * @param sampleInterval       the balance's read interval, the standard's delta t
 * @param evaporationMgPerHour mass the vessel loses to evaporation, mg/h, added back to each reading (0: none)
 * @param resolutionG          the balance's readability, g: what one count of its last digit is
 * @param analysisFrom         where the trumpet curve and the overall error start, from the test's start
 * @param analysisTo           where they end
 * @param windows              the trumpet curve's observation windows, each a whole number of sample intervals
 */
public record TestSetup(double rateUlPerHour, double densityGPerMl, Duration sampleInterval, double evaporationMgPerHour,
        double resolutionG, Duration analysisFrom, Duration analysisTo, List<Duration> windows) {

    /** Fewer than this many windows says nothing about the trumpet's shape; more is not a trumpet curve. */
    public static final int MAX_WINDOWS = 16;

    public TestSetup {
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(analysisFrom, "analysisFrom");
        Objects.requireNonNull(analysisTo, "analysisTo");
        windows = List.copyOf(windows);
        check(rateUlPerHour > 0 && rateUlPerHour <= 1_000_000, "the rate must be above 0 and at most 1 L/h: " + rateUlPerHour + " uL/h");
        check(densityGPerMl >= 0.5 && densityGPerMl <= 2.5, "a density outside 0.5-2.5 g/mL is not a fluid a pump delivers: " + densityGPerMl);
        check(!sampleInterval.isNegative() && !sampleInterval.isZero() && sampleInterval.compareTo(Duration.ofHours(1)) <= 0,
                "delta t must be above 0 and at most 1h: " + Durations.format(sampleInterval));
        check(evaporationMgPerHour >= 0 && evaporationMgPerHour <= 1_000, "evaporation must be 0-1000 mg/h: " + evaporationMgPerHour);
        check(resolutionG > 0 && resolutionG <= 1, "the balance's readability must be above 0 and at most 1 g: " + resolutionG);
        check(!analysisFrom.isNegative() && analysisTo.compareTo(analysisFrom) > 0,
                "the analysis period must end after it starts: " + Durations.format(analysisFrom) + " to " + Durations.format(analysisTo));
        check(!windows.isEmpty() && windows.size() <= MAX_WINDOWS, "1 to " + MAX_WINDOWS + " observation windows, not " + windows.size());
        for (Duration w : windows) {
            check(!w.isNegative() && !w.isZero() && w.toNanos() % sampleInterval.toNanos() == 0,
                    "an observation window must be a whole number of delta t (" + Durations.format(sampleInterval) + "): " + Durations.format(w));
            check(w.compareTo(analysisTo.minus(analysisFrom)) <= 0, "an observation window longer than the analysis period: " + Durations.format(w));
        }
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }
}
