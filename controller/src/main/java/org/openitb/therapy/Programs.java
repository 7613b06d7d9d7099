package org.openitb.therapy;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Questions about a program over a stretch of wall time. */
public final class Programs {

    private static final BigInteger NANOS_PER_DAY = BigInteger.valueOf(Duration.ofDays(1).toNanos());

    private Programs() {
    }

    /**
     * The basal drug {@code program} prescribes between two wall instants, exactly (rounded down to
     * the nanogram), following flex steps: what a pump stopped over that stretch did not deliver.
     * Periodic boluses are left out: a stopped pump does not give them afterwards either.
     */
    public static Dose basalBetween(Program program, Instant from, Instant to, ZoneId zone) {
        if (!to.isAfter(from)) {
            return Dose.ZERO;
        }
        BigInteger rateNanos = BigInteger.ZERO;
        Instant at = from;
        while (at.isBefore(to)) {
            Optional<Instant> change = program.nextBasalChange(at, zone);
            Instant end = change.filter(c -> c.isBefore(to)).orElse(to);
            long nanos = Duration.between(at, end).toNanos();
            rateNanos = rateNanos.add(BigInteger.valueOf(program.basalRateAt(at.atZone(zone)).nanogramsPerDay())
                    .multiply(BigInteger.valueOf(nanos)));
            at = end;
        }
        return new Dose(rateNanos.divide(NANOS_PER_DAY).longValueExact());
    }
}
