package org.openitb.accuracy;

import java.time.Duration;
import java.util.Objects;
import org.openitb.drivers.balance.BalanceConfig;
import org.openitb.therapy.Durations;

/**
 * The bench's balance for the gravimetric test, from the config: how to reach it, and how often the
 * test reads it (the standard's delta t).
 *
 * @param balance      the serial balance
 * @param readInterval how often a test reads it, 1 s-1 h
 */
public record AccuracySettings(BalanceConfig balance, Duration readInterval) {

    public AccuracySettings {
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(readInterval, "readInterval");
        if (readInterval.compareTo(Duration.ofSeconds(1)) < 0 || readInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the read interval must be 1s-1h: " + Durations.format(readInterval));
        }
        if (readInterval.compareTo(balance.timeout()) <= 0) {
            throw new IllegalArgumentException("the read interval (" + Durations.format(readInterval) + ") must be longer than the balance's"
                    + " timeout (" + Durations.format(balance.timeout()) + "): a read must end before the next is due");
        }
    }
}
