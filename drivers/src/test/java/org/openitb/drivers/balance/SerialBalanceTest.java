package org.openitb.drivers.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SystemClock;

/** The real serial path, end to end through a pseudo-terminal pair: jSerialComm on both ends, socat between. */
class SerialBalanceTest {

    private static final BigDecimal READABILITY = new BigDecimal("0.00001");

    private static BalanceConfig config(Path port, BalanceProtocol protocol) {
        return new BalanceConfig(port.toString(), 9_600, 8, BalanceConfig.Parity.NONE, 1, protocol, Duration.ofMillis(1_000), READABILITY);
    }

    @ParameterizedTest
    @EnumSource(BalanceProtocol.class)
    void eachProtocolReadsTheWeightAndEachFaultAsWhatItIs(BalanceProtocol protocol, @TempDir Path dir) throws Exception {
        BalanceSim sim = new BalanceSim(protocol, READABILITY, () -> 12.345_674, 0, 1);
        try (PtyPair pty = new PtyPair(dir, new SystemClock(ZoneOffset.UTC));
                BalanceServer server = BalanceServer.start(pty.balance().toString(), sim, new SystemClock(ZoneOffset.UTC), Duration.ofMillis(100));
                SerialBalance balance = SerialBalance.open(config(pty.pump(), protocol))) {
            BalanceReading r = balance.read();
            assertEquals(BalanceReading.Status.STABLE, r.status(), r.line());
            assertEquals(Optional.of(new BigDecimal("12.34567")), r.grams(), "12.345674 g to 0.01 mg");

            sim.unsettled(true);
            assertEquals(BalanceReading.Status.UNSTABLE, readAfterChange(balance, protocol).status());
            sim.unsettled(false);

            sim.overload(true);
            assertEquals(BalanceReading.Status.OVERLOAD, readAfterChange(balance, protocol).status());
            sim.overload(false);

            sim.garbage(true);
            BalanceReading garbage = readAfterChange(balance, protocol);
            assertEquals(BalanceReading.Status.GARBAGE, garbage.status(), garbage.line());
            sim.garbage(false);

            sim.silent(true);
            BalanceReading silent = readAfterChange(balance, protocol);
            assertEquals(BalanceReading.Status.SILENT, silent.status());
            assertEquals("no reply in 1000 ms", silent.line());
            sim.silent(false);

            // Back to normal at once: nothing stale from the faults is taken for the next weight.
            BalanceReading again = readAfterChange(balance, protocol);
            assertEquals(BalanceReading.Status.STABLE, again.status(), again.line());
            assertTrue(server.answered() >= 5, "the balance answered over the line: " + server.answered());
        }
    }

    /**
     * A read that began after a control was set. A balance asked for its weight answers the request
     * sent after it; one printing on its own may have a line on the way from before, so its next
     * line is the first that certainly follows.
     */
    private static BalanceReading readAfterChange(SerialBalance balance, BalanceProtocol protocol) {
        if (protocol.request().isEmpty()) {
            balance.read();
        }
        return balance.read();
    }

    @Test
    void aPortThatDoesNotExistIsAOneLineError(@TempDir Path dir) {
        BalanceException e = assertThrows(BalanceException.class,
                () -> SerialBalance.open(config(dir.resolve("no-such-tty"), BalanceProtocol.MT_SICS)));
        assertEquals("balance port " + dir.resolve("no-such-tty") + " does not exist", e.getMessage());
    }

    @Test
    void aLineAKilledOwnerLeftRunningIsEndedWhenTheNextIsMade(@TempDir Path dir) throws Exception {
        SystemClock clock = new SystemClock(ZoneOffset.UTC);
        PtyPair first = new PtyPair(dir, clock); // its owner "killed": never closed
        long pid = Long.parseLong(Files.readString(dir.resolve("socat.pid")).strip());
        ProcessHandle left = ProcessHandle.of(pid).orElseThrow();
        try (PtyPair second = new PtyPair(dir, clock)) {
            assertTrue(left.onExit().get(5, TimeUnit.SECONDS) != null && !left.isAlive(), "the socat left over ended");
            assertTrue(Files.exists(second.pump()) && Files.exists(second.balance()), "and a new pair stands in its place");
        } finally {
            first.close();
        }
    }
}
