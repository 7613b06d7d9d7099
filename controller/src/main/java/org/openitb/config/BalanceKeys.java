package org.openitb.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.drivers.balance.BalanceConfig;
import org.openitb.drivers.balance.BalanceProtocol;
import org.openitb.therapy.Mass;

/** The {@code balance.*} and {@code accuracy.*} keys: the bench's balance for the gravimetric test, if it has one. */
final class BalanceKeys {

    private static final Pattern FRAMING = Pattern.compile("([78])([NOE])([12])");

    private BalanceKeys() {
    }

    /** The balance and the test's read interval; empty when {@code balance.port} is empty (no balance on this bench). */
    static Optional<AccuracySettings> read(ConfigReader r) {
        String port = r.read("balance.port", "", "a serial device path, or empty", String::strip);
        Integer baud = r.bounded("balance.baud", "9600", "bits per second", Integer::valueOf, 300, 115_200);
        Matcher framing = r.read("balance.framing", "8N1", "data bits, parity and stop bits, like 8N1 or 7O1", BalanceKeys::framing);
        BalanceProtocol protocol = r.read("balance.protocol", "mt-sics", "mt-sics, sbi or continuous", BalanceKeys::protocol);
        Duration timeout = ConfigLoader.duration(r, "balance.timeout", "1s", Duration.ofMillis(100), Duration.ofSeconds(10));
        BigDecimal readability = r.bounded("balance.readability", "0.00001g", "one count of the last digit, like 0.00001g or 0.01mg",
                text -> Mass.parse(text).grams(), new BigDecimal("0.0000001"), BigDecimal.ONE, g -> g.toPlainString() + "g");
        Duration interval = ConfigLoader.duration(r, "accuracy.read-interval", "30s", Duration.ofSeconds(1), Duration.ofHours(1));
        if (port == null || port.isEmpty() || baud == null || framing == null || protocol == null || timeout == null || readability == null
                || interval == null) {
            return Optional.empty();
        }
        BalanceConfig.Parity parity = switch (framing.group(2)) {
            case "O" -> BalanceConfig.Parity.ODD;
            case "E" -> BalanceConfig.Parity.EVEN;
            default -> BalanceConfig.Parity.NONE;
        };
        return Optional.ofNullable(ConfigLoader.build(r, "balance", () -> new AccuracySettings(new BalanceConfig(port, baud,
                Integer.parseInt(framing.group(1)), parity, Integer.parseInt(framing.group(3)), protocol, timeout, readability), interval)));
    }

    private static Matcher framing(String text) {
        Matcher m = FRAMING.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a framing: write data bits (7 or 8), parity (N, O or E) and stop bits (1 or 2), like 8N1");
        }
        return m;
    }

    private static BalanceProtocol protocol(String text) {
        return switch (text.strip()) {
            case "mt-sics" -> BalanceProtocol.MT_SICS;
            case "sbi" -> BalanceProtocol.SBI;
            case "continuous" -> BalanceProtocol.CONTINUOUS;
            default -> throw new IllegalArgumentException("not a balance protocol: write mt-sics, sbi or continuous");
        };
    }
}
