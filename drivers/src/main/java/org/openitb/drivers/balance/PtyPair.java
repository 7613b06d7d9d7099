package org.openitb.drivers.balance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Two linked pseudo-terminals from socat: what one end writes, the other reads, as a serial cable. */
final class PtyPair implements AutoCloseable {

    private final Process socat;
    final Path pump;
    final Path balance;

    PtyPair(Path dir) throws IOException, InterruptedException {
        pump = dir.resolve("pump-side");
        balance = dir.resolve("balance-side");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + pump, "pty,raw,echo=0,link=" + balance)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        // Ready once both links exist (the second is made last); bounded, as everything here.
        for (int i = 0; i < 100 && !(Files.exists(pump) && Files.exists(balance)); i++) {
            if (!socat.isAlive()) {
                throw new IOException("socat ended: " + Files.readString(dir.resolve("socat.log")));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        if (!(Files.exists(pump) && Files.exists(balance))) {
            socat.destroyForcibly();
            throw new IOException("socat made no pty pair in 5 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
        }
    }
}
