package org.openitb.drivers.balance;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.openitb.clock.Clock;

/**
 * A {@link BalanceSim} behind a serial line, so the real serial path is exercised end to end: on
 * one end of a pseudo-terminal pair it answers each request line of its protocol, or, for a balance
 * that prints on its own, prints every print interval of the injected clock. Its thread waits on
 * the port in slices of 100 ms, so it stops within one of {@link #close}.
 */
public final class BalanceServer implements AutoCloseable {

    /** A request line longer than this is not one: dropped. */
    private static final int MAX_REQUEST = 32;

    private final SerialPort port;
    private final BalanceSim balance;
    private final Clock clock;
    private final long printIntervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicInteger answered = new AtomicInteger();

    private BalanceServer(SerialPort port, BalanceSim balance, Clock clock, Duration printInterval) {
        this.port = port;
        this.balance = balance;
        this.clock = clock;
        this.printIntervalNanos = printInterval.toNanos();
        this.thread = Thread.ofPlatform().name("balance-sim").daemon(true).unstarted(this::serve);
    }

    /**
     * Serves {@code balance} on the serial device {@code path} (8N1), printing every
     * {@code printInterval} of {@code clock} if its protocol asks for nothing.
     */
    public static BalanceServer start(String path, BalanceSim balance, Clock clock, Duration printInterval) {
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(clock, "clock");
        if (printInterval.compareTo(Duration.ofMillis(100)) < 0 || printInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the simulated balance prints every 100ms-1m, not " + printInterval);
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw new BalanceException("simulated balance port " + path + " does not exist");
        }
        port.setComPortParameters(9_600, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 1_000);
        if (!port.openPort()) {
            throw new BalanceException("simulated balance port " + path + " could not be opened (error " + port.getLastErrorCode() + ")");
        }
        BalanceServer server = new BalanceServer(port, balance, clock, printInterval);
        server.thread.start();
        return server;
    }

    /** How many replies or prints it has sent. */
    public int answered() {
        return answered.get();
    }

    private void serve() {
        byte[] one = new byte[1];
        StringBuilder request = new StringBuilder();
        long nextPrint = clock.nanos();
        boolean prints = balance.protocol().request().isEmpty();
        while (running) {
            if (prints && clock.nanos() - nextPrint >= 0) {
                send();
                nextPrint += printIntervalNanos;
            }
            int n = port.readBytes(one, 1); // waits up to 100 ms
            if (n < 0) {
                return; // the other end is gone
            }
            if (n == 1) {
                char c = (char) (one[0] & 0xff);
                if (c == '\n' || c == '\r') {
                    if (!request.isEmpty() && !prints && isRequest(request.toString())) {
                        send();
                    }
                    request.setLength(0);
                } else if (request.length() < MAX_REQUEST) {
                    request.append(c);
                }
            }
        }
    }

    private boolean isRequest(String line) {
        Optional<byte[]> expected = balance.protocol().request();
        return expected.isPresent() && new String(expected.get(), StandardCharsets.US_ASCII).strip().equals(line.strip());
    }

    private void send() {
        Optional<String> line = balance.replyLine();
        if (line.isPresent()) {
            byte[] bytes = (line.get() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            port.writeBytes(bytes, bytes.length);
            answered.incrementAndGet();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(); // ends within one 100 ms read slice
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        port.closePort();
    }
}
