package org.openitb.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.openitb.store.Sample;

/**
 * A week of a pump written by hand, not by the pump: 400 mcg/day of 500 mcg/mL from Sunday
 * midnight, suspended on Tuesday 10:00-16:00, its daemon down on Thursday 02:00-05:00 (no samples,
 * nothing delivered), 500 mcg/day from Friday midnight. What the program asked for is 5 x 400 + 2 x 500
 * = 3000 mcg; the patient missed 6 h and 3 h of 400 mcg/day, 100 + 50 mcg, so got 2850 mcg.
 */
final class HandMadeWeek {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant END = START.plus(Duration.ofDays(7));
    static final double PROGRAM_MCG = 3_000;
    static final double PATIENT_MCG = 2_850;
    static final Instant DOWN_FROM = START.plus(Duration.ofDays(4)).plus(Duration.ofHours(2));
    static final Instant DOWN_TO = START.plus(Duration.ofDays(4)).plus(Duration.ofHours(5));
    /** The syringe: 20 mL at the start, less what was pushed; 2 mg of priming on the first sample is pushed, not the patient's. */
    private static final long PRIMING_NG = 2_000_000;

    private HandMadeWeek() {
    }

    static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        // Delivered drug in 1/288 ng: a 5-minute step at R ng/day is R/288 ng, kept exact and rounded down as the pump's counts are.
        long patient288 = 0;
        for (Instant t = START; !t.isAfter(END); t = t.plus(Duration.ofMinutes(5))) {
            long minute = Duration.between(START, t).toMinutes();
            long rate = minute >= 5 * 1440 ? 500_000 : 400_000;
            boolean suspended = inside(minute, 2 * 1440 + 10 * 60, 2 * 1440 + 16 * 60);
            // The last sample before the daemon went down is at 02:00, the first after it came back at 05:00.
            boolean down = minute > 4 * 1440 + 2 * 60 && minute < 4 * 1440 + 5 * 60;
            if (t.isAfter(START)) {
                long before = minute - 5;
                // The step before t delivered at the rate of its own start, unless suspended or down then.
                long stepRate = before >= 5 * 1440 ? 500_000 : 400_000;
                boolean stepStopped = inside(before, 2 * 1440 + 10 * 60, 2 * 1440 + 16 * 60) || inside(before, 4 * 1440 + 2 * 60, 4 * 1440 + 5 * 60);
                patient288 += stepStopped ? 0 : stepRate;
            }
            if (down) {
                continue;
            }
            long patientNg = patient288 / 288;
            long pushedNg = patientNg + PRIMING_NG;
            long leftPl = 20_000_000_000L - pushedNg * 2_000; // 500 mcg/mL: 1 ng is 2 nL = 2000 pL
            double hours = leftPl / 1e9 * 500 / (rate / 1000.0) * 24;
            long percent = suspended ? 100 - (minute - (2 * 1440 + 10 * 60)) / 30 : 100;
            String level = percent >= 95 ? "none" : percent >= 90 ? "elevated" : "high";
            out.add(new Sample(t, suspended ? "suspended" : "delivering", pushedNg, patientNg, rate, OptionalLong.of(500_000), leftPl,
                    OptionalDouble.of(hours), level, OptionalLong.of(percent), true));
        }
        return out;
    }

    /** Whether minute {@code m} is in [from, to). */
    private static boolean inside(long m, long from, long to) {
        return m >= from && m < to;
    }
}
