package org.openitb.therapy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * A bolus repeated at a fixed interval on top of the basal rate, the first one interval after
 * the program starts (never at once: a new program must not open with a bolus).
 *
 * @param dose  each bolus
 * @param every interval from one bolus start to the next
 * @param over  how long each bolus takes; shorter than the interval
 */
public record PeriodicBolus(Dose dose, Duration every, Duration over) {

    public PeriodicBolus {
        Objects.requireNonNull(dose, "dose");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(over, "over");
        if (dose.nanograms() <= 0) {
            throw new IllegalArgumentException("a periodic bolus needs a dose above 0mcg");
        }
        if (over.compareTo(every) >= 0) {
            throw new IllegalArgumentException("a periodic bolus of " + Durations.format(over) + " cannot repeat every "
                    + Durations.format(every) + ": it must end before the next one starts");
        }
    }

    /** Drug per day from these boluses, rounded up to the nanogram (limits are checked on the safe side). */
    public DailyRate perDay() {
        long ns = every.toNanos();
        long dayNs = Duration.ofDays(1).toNanos();
        BigInteger total = BigInteger.valueOf(dose.nanograms()).multiply(BigInteger.valueOf(dayNs));
        BigInteger[] qr = total.divideAndRemainder(BigInteger.valueOf(ns));
        return new DailyRate(qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0));
    }

    @Override
    public String toString() {
        return dose + " over " + Durations.format(over) + " every " + Durations.format(every);
    }
}
