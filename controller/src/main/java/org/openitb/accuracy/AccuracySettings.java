package org.openitb.accuracy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import org.openitb.drivers.balance.BalanceConfig;
import org.openitb.drivers.balance.BalanceProtocol;
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

    /**
     * The simulated bench's balance where the config names none: a five-place balance (0.01 mg)
     * speaking MT-SICS at 9600 8N1, answering within 1 s, read every 30 s: the keys' defaults.
     * Its port is the simulated bench's pseudo-terminal, given when a test opens it.
     */
    public static AccuracySettings simulated() {
        return new AccuracySettings(new BalanceConfig("pty", 9_600, 8, BalanceConfig.Parity.NONE, 1, BalanceProtocol.MT_SICS,
                Duration.ofSeconds(1), new BigDecimal("0.00001")), Duration.ofSeconds(30));
    }
}
