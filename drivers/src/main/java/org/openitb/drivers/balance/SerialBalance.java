package org.openitb.drivers.balance;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.util.Objects;
import java.util.Optional;

/**
 * A balance on a serial line, through jSerialComm. Each read waits in slices of 100 ms (the
 * resolution jSerialComm gives on Linux) and gives up after the configured timeout, so no read
 * waits without a deadline. A request protocol drops whatever was waiting (a late reply to an
 * earlier request) before it asks; a balance that prints on its own is read at its next whole
 * line, so a reading is never older than one of its print intervals.
 */
public final class SerialBalance implements Balance {

    private final SerialPort port;
    private final BalanceConfig config;
    private final int slices;
    private final byte[] buffer = new byte[256];
    private final StringBuilder line = new StringBuilder();

    private SerialBalance(SerialPort port, BalanceConfig config) {
        this.port = port;
        this.config = config;
        this.slices = (int) Math.max(1, config.timeout().toMillis() / BalanceConfig.READ_SLICE.toMillis());
    }

    /** Opens the balance's port as {@code config} says; a port that cannot be opened is a one-line error. */
    public static SerialBalance open(BalanceConfig config) {
        Objects.requireNonNull(config, "config");
        SerialPort port;
        try {
            port = SerialPort.getCommPort(config.port());
        } catch (SerialPortInvalidPortException e) {
            throw new BalanceException("balance port " + config.port() + " does not exist");
        }
        // Set before opening: jSerialComm reconfigures (and sleeps) on every setter of an open port.
        port.setComPortParameters(config.baud(), config.dataBits(), config.stopBits() == 1 ? SerialPort.ONE_STOP_BIT : SerialPort.TWO_STOP_BITS,
                switch (config.parity()) {
                    case NONE -> SerialPort.NO_PARITY;
                    case ODD -> SerialPort.ODD_PARITY;
                    case EVEN -> SerialPort.EVEN_PARITY;
                });
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                (int) BalanceConfig.READ_SLICE.toMillis(), (int) config.timeout().toMillis());
        if (!port.openPort()) {
            throw new BalanceException("balance port " + config.port() + " could not be opened (error " + port.getLastErrorCode()
                    + "): is another program using it, or is it not a serial device?");
        }
        return new SerialBalance(port, config);
    }

    @Override
    public BalanceReading read() {
        Optional<byte[]> request = config.protocol().request();
        drain(); // drops the whole lines before now; a balance printing on its own keeps the one under way
        if (request.isPresent()) {
            line.setLength(0); // a partial late reply is not the start of this one
            byte[] r = request.get();
            if (port.writeBytes(r, r.length) != r.length) {
                return BalanceReading.of(BalanceReading.Status.SILENT, "the request could not be sent (error " + port.getLastErrorCode() + ")");
            }
        }
        return reply();
    }

    /** Reads what is waiting, keeping only the unfinished line at its end. */
    private void drain() {
        int available = port.bytesAvailable();
        while (available > 0) {
            int n = port.readBytes(buffer, Math.min(available, buffer.length));
            if (n <= 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = (char) (buffer[i] & 0xff);
                if (c == '\n' || c == '\r') {
                    line.setLength(0);
                } else if (line.length() < BalanceProtocol.MAX_LINE) {
                    line.append(c);
                }
            }
            available = port.bytesAvailable();
        }
    }

    /** The next whole non-empty line read, within the timeout; a line over the limit is cut there. */
    private BalanceReading reply() {
        int quiet = 0;
        while (quiet < slices) {
            int n = port.readBytes(buffer, 1);
            if (n < 0) {
                return BalanceReading.of(BalanceReading.Status.SILENT, "the serial port failed (error " + port.getLastErrorCode() + ")");
            }
            if (n == 0) {
                quiet++;
                continue;
            }
            char c = (char) (buffer[0] & 0xff);
            if (c == '\n' || c == '\r') {
                if (!line.isEmpty()) {
                    return config.protocol().parse(take());
                }
            } else {
                line.append(c);
                if (line.length() >= BalanceProtocol.MAX_LINE) {
                    return config.protocol().parse(take()); // no reply is this long: garbage, said as it came
                }
            }
        }
        return BalanceReading.of(BalanceReading.Status.SILENT, "no reply in " + config.timeout().toMillis() + " ms");
    }

    private String take() {
        String l = line.toString();
        line.setLength(0);
        return l;
    }

    @Override
    public void close() {
        port.closePort();
    }
}
