package org.openitb.reservoir;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Durations;
import org.openitb.therapy.Volume;

/**
 * What the volume model says about the future at the basal rate in force: hours to empty, whether
 * the reservoir is low (by volume or by days left), when a refill is due (when it becomes low), and
 * whether the level switch agrees. Pure: every input is a parameter.
 */
public final class ReservoirOutlook {

    private static final BigInteger NANOS_PER_DAY = BigInteger.valueOf(Duration.ofDays(1).toNanos());

    private ReservoirOutlook() {
    }

    /** Volume per day at {@code rate} of {@code c}, in pL, rounded up. */
    static long picolitresPerDay(DailyRate rate, Concentration c) {
        BigInteger[] qr = BigInteger.valueOf(rate.nanogramsPerDay()).multiply(BigInteger.valueOf(1_000_000_000L))
                .divideAndRemainder(BigInteger.valueOf(c.nanogramsPerMl()));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    /** Time until {@code remaining} runs out at {@code rate}; empty when nothing is delivered. */
    public static Optional<Duration> untilEmpty(Volume remaining, DailyRate rate, Concentration c) {
        return until(remaining.picolitres(), rate, c);
    }

    /** Why the reservoir is low, if it is. */
    public static Optional<String> low(Volume remaining, DailyRate rate, Concentration c, ReservoirSettings s) {
        if (remaining.compareTo(s.lowVolume()) < 0) {
            return Optional.of("reservoir " + remaining.toDisplayString() + " is below " + s.lowVolume() + " (reservoir.low-volume)");
        }
        Optional<Duration> left = untilEmpty(remaining, rate, c);
        if (left.isPresent() && left.get().compareTo(s.lowDays()) < 0) {
            return Optional.of(String.format(Locale.ROOT, "%.1f days of delivery left at %s, fewer than %s (reservoir.low-days)",
                    left.get().toMinutes() / 1440.0, rate, Durations.format(s.lowDays())));
        }
        return Optional.empty();
    }

    /** When the reservoir becomes low at {@code rate} (now if it is already); empty when nothing is delivered. */
    public static Optional<Instant> refillDue(Instant now, Volume remaining, DailyRate rate, Concentration c, ReservoirSettings s) {
        long perDay = rate.nanogramsPerDay() == 0 ? 0 : picolitresPerDay(rate, c);
        if (perDay == 0) {
            return Optional.empty();
        }
        // Low at max(low volume, the volume of low-days of delivery).
        long daysVolume = BigInteger.valueOf(perDay).multiply(BigInteger.valueOf(s.lowDays().toNanos())).divide(NANOS_PER_DAY).longValueExact();
        long lowAt = Math.max(s.lowVolume().picolitres(), daysVolume);
        long above = remaining.picolitres() - lowAt;
        return Optional.of(above <= 0 ? now : now.plus(until(above, rate, c).orElseThrow()));
    }

    /**
     * The level switch against the model: a switch reading low with clearly more in the model
     * (a leak, or less filled than recorded), or reading ok with clearly less (more filled than
     * recorded, or a failed switch). Neither side is believed over the other: it is reported.
     */
    public static Optional<String> discrepancy(boolean switchLow, Volume remaining, ReservoirSettings s) {
        long margin = s.discrepancyMargin().picolitres();
        long level = s.switchLevel().picolitres();
        if (switchLow && remaining.picolitres() > level + margin) {
            return Optional.of("the level switch reads low but the volume model holds " + remaining.toDisplayString()
                    + " (switch at " + s.switchLevel() + "): a leak, or less was filled than recorded");
        }
        if (!switchLow && remaining.picolitres() < level - margin) {
            return Optional.of("the level switch reads ok but the volume model holds " + remaining.toDisplayString()
                    + " (switch at " + s.switchLevel() + "): more was filled than recorded, or the switch fails");
        }
        return Optional.empty();
    }

    private static Optional<Duration> until(long picolitres, DailyRate rate, Concentration c) {
        if (rate.nanogramsPerDay() == 0) {
            return Optional.empty();
        }
        long perDay = picolitresPerDay(rate, c);
        return Optional.of(Duration.ofNanos(BigInteger.valueOf(Math.max(0, picolitres)).multiply(NANOS_PER_DAY)
                .divide(BigInteger.valueOf(perDay)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact()));
    }
}
