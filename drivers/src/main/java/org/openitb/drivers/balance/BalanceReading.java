package org.openitb.drivers.balance;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What a balance said in one reply: a weight (stable or still settling) or why it gave none.
 *
 * @param status what kind of reply it was
 * @param grams  the weight in grams, for {@link Status#STABLE} and {@link Status#UNSTABLE}
 * @param line   the reply as received, for the run's record
 */
public record BalanceReading(Status status, Optional<BigDecimal> grams, String line) {

    /** The kinds of reply; only a stable weight is a reading a gravimetric test may use. */
    public enum Status {
        /** A weight the balance calls stable. */
        STABLE,
        /** A weight still settling. */
        UNSTABLE,
        /** Above the balance's range. */
        OVERLOAD,
        /** Below it (the pan lifted, a negative beyond the tare). */
        UNDERLOAD,
        /** The balance could not weigh now (taring, no stability in its own time). */
        BUSY,
        /** The balance refused the command or reported an error of its own. */
        ERROR,
        /** A reply that is none of the protocol's forms. */
        GARBAGE,
        /** No reply within the read timeout. */
        SILENT
    }

    public BalanceReading {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(grams, "grams");
        Objects.requireNonNull(line, "line");
        boolean weighs = status == Status.STABLE || status == Status.UNSTABLE;
        if (weighs != grams.isPresent()) {
            throw new IllegalArgumentException(status + " with" + (grams.isPresent() ? "" : "out") + " a weight: " + line);
        }
    }

    static BalanceReading weight(BigDecimal grams, boolean stable, String line) {
        return new BalanceReading(stable ? Status.STABLE : Status.UNSTABLE, Optional.of(grams), line);
    }

    static BalanceReading of(Status status, String line) {
        return new BalanceReading(status, Optional.empty(), line);
    }

    /** A stable weight: the only kind a test records as a reading. */
    public boolean stable() {
        return status == Status.STABLE;
    }
}
