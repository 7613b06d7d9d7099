package org.openitb.drivers.balance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a serial balance and what it reads to; every value checked here, at load.
 *
 * @param port        the serial device, e.g. {@code /dev/ttyUSB0} (a pseudo-terminal in tests)
 * @param baud        bits per second, 300-115200
 * @param dataBits    7 or 8
 * @param parity      none, odd or even
 * @param stopBits    1 or 2
 * @param protocol    what the balance speaks
 * @param timeout     how long a reply may take, 100 ms-10 s (a silent balance is said after it)
 * @param readability one count of the balance's last digit, g: 0.1 ug-1 g
 */
public record BalanceConfig(String port, int baud, int dataBits, Parity parity, int stopBits, BalanceProtocol protocol, Duration timeout,
        BigDecimal readability) {

    /** Serial parity. */
    public enum Parity {
        NONE, ODD, EVEN
    }

    /** jSerialComm's read timeouts are rounded to this on Linux; the timeout is counted in it. */
    static final Duration READ_SLICE = Duration.ofMillis(100);

    public BalanceConfig {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(readability, "readability");
        check(!port.isBlank() && port.length() <= 256, "the serial port must be a device path: '" + port + "'");
        check(baud >= 300 && baud <= 115_200, "baud must be 300-115200: " + baud);
        check(dataBits == 7 || dataBits == 8, "data bits must be 7 or 8: " + dataBits);
        check(stopBits == 1 || stopBits == 2, "stop bits must be 1 or 2: " + stopBits);
        check(timeout.compareTo(READ_SLICE) >= 0 && timeout.compareTo(Duration.ofSeconds(10)) <= 0,
                "the read timeout must be 100ms-10s: " + timeout);
        check(readability.signum() > 0 && readability.compareTo(BigDecimal.ONE) <= 0
                && readability.compareTo(new BigDecimal("0.0000001")) >= 0, "the readability must be 0.0000001g-1g: " + readability);
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }

    /** The same balance on another serial device (the simulated bench's pseudo-terminal). */
    public BalanceConfig onPort(String other) {
        return new BalanceConfig(other, baud, dataBits, parity, stopBits, protocol, timeout, readability);
    }
}
