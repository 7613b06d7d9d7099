package org.openitb.drivers.balance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.openitb.clock.Clock;

/**
 * Two linked pseudo-terminals made by socat: what one end writes, the other reads, as a serial
 * cable does. The simulated bench's balance sits on one end, the pump's serial driver on the
 * other, so the real serial path runs without hardware. Every wait is bounded on the clock given.
 */
public final class PtyPair implements AutoCloseable {

    /** How long socat gets to make the pair, or to end when closed. */
    static final long WAIT_NANOS = 5_000_000_000L;
    private static final long POLL_NANOS = 50_000_000L;

    private final Process socat;
    private final Clock clock;
    private final Path pump;
    private final Path balance;

    /**
     * Links {@code dir/pump-side} to {@code dir/balance-side}, waiting at most 5 s on {@code clock}
     * (a real one: socat runs in real time) for both to exist.
     *
     * @throws IOException if socat cannot be run (it is a Debian package: apt-get install socat) or makes no pair
     */
    public PtyPair(Path dir, Clock clock) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        pump = dir.resolve("pump-side");
        balance = dir.resolve("balance-side");
        Path pidFile = dir.resolve("socat.pid");
        endLeftOver(pidFile);
        Files.deleteIfExists(pump); // links a killed socat left behind
        Files.deleteIfExists(balance);
        Path log = dir.resolve("socat.log");
        try {
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + pump, "pty,raw,echo=0,link=" + balance)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("socat could not be run to make the balance's serial line (apt-get install socat): " + e.getMessage(), e);
        }
        Files.writeString(pidFile, Long.toString(socat.pid()));
        long deadline = clock.nanos() + WAIT_NANOS;
        // Ready once both links exist (the second is made last).
        while (!(Files.exists(pump) && Files.exists(balance))) {
            if (!socat.isAlive()) {
                throw new IOException("socat ended: " + Files.readString(log).strip());
            }
            if (clock.nanos() - deadline > 0) {
                socat.destroyForcibly();
                throw new IOException("socat made no pty pair in 5 s");
            }
            clock.parkUntil(clock.nanos() + POLL_NANOS);
        }
    }

    /**
     * Ends the socat a killed owner left running on this directory (a SIGKILL takes no child with
     * it), so pairs do not pile up over crashes; a pid now used by another program is left alone.
     */
    private static void endLeftOver(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).strip();
        if (text.matches("[0-9]{1,10}")) {
            ProcessHandle.of(Long.parseLong(text))
                    .filter(p -> p.info().command().map(c -> c.endsWith("/socat") || c.equals("socat")).orElse(false))
                    .ifPresent(ProcessHandle::destroy);
        }
        Files.delete(pidFile);
    }

    /** The end the pump's serial driver opens. */
    public Path pump() {
        return pump;
    }

    /** The end the simulated balance answers on. */
    public Path balance() {
        return balance;
    }

    @Override
    public void close() {
        socat.destroy();
        long deadline = clock.nanos() + WAIT_NANOS;
        while (socat.isAlive() && clock.nanos() - deadline < 0) {
            clock.parkUntil(clock.nanos() + POLL_NANOS);
        }
        if (socat.isAlive()) {
            socat.destroyForcibly();
        }
    }
}
