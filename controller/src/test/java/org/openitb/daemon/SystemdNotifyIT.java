package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon process talking to a datagram socket that stands in for systemd's
 * NOTIFY_SOCKET, with the watchdog systemd would arm: READY once recovered and dosing, STATUS
 * lines, WATCHDOG while the loops pass, none while the dose loop hangs, STOPPING on SIGTERM.
 */
class SystemdNotifyIT {

    private static final long SECOND = 1_000_000_000L;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private static boolean status(NotifySocket.Message m, String prefix) {
        return m.value("STATUS").filter(s -> s.startsWith(prefix)).isPresent();
    }

    @Test
    void readyThenPetsWhileHealthyNoneWhileHungAndStoppingAtTheEnd(@TempDir Path dir) throws Exception {
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock")); DaemonProcess pump = new DaemonProcess(dir)) {
            pump.environment("NOTIFY_SOCKET", systemd.path.toString()).environment("WATCHDOG_USEC", "4000000").simulate(1);
            NotifySocket.Message ready = systemd.await(0, m -> m.has("READY=1"), LIMIT, "READY=1");
            assertTrue(status(ready, "idle; reservoir 20.0 mL; no alarms"), ready.text());
            assertTrue(ready.has("WATCHDOG=1"), ready.text());

            assertTrue(pump.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
            assertTrue(pump.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
            int from = systemd.messages().size();
            systemd.await(from, m -> status(m, "delivering continuous 400mcg/day of 500mcg/mL; reservoir "), LIMIT, "STATUS of the program");
            // Healthy: a pet every 2 s (half of WatchdogSec=4).
            from = systemd.messages().size();
            for (int i = 0; i < 3; i++) {
                NotifySocket.Message pet = systemd.await(from, m -> m.has("WATCHDOG=1"), LIMIT, "WATCHDOG=1 while healthy");
                from = systemd.messages().indexOf(pet) + 1;
            }

            // The dose loop hangs for 6 s of real time. Once the hang shows, nothing pets the
            // watchdog until the loop passes again, which it cannot do before the freeze ends.
            long frozeAt = System.nanoTime();
            assertTrue(pump.request(DaemonProcess.simRequest("freeze", "6s")).get("ok").getAsBoolean());
            NotifySocket.Message hang = systemd.await(from, m -> status(m, "not responding: dose loop"), LIMIT, "STATUS of the hang");
            assertTrue(hang.value("STATUS").orElseThrow().endsWith("systemd watchdog not fed"), hang.text());
            int afterHang = systemd.messages().indexOf(hang) + 1;
            NotifySocket.Message nextPet = systemd.await(afterHang, m -> m.has("WATCHDOG=1"), LIMIT, "WATCHDOG=1 after the hang");
            assertTrue(nextPet.atNanos() - frozeAt >= 6 * SECOND,
                    "petted " + (nextPet.atNanos() - frozeAt) / 1_000_000 + " ms into a 6 s hang: " + systemd.messages());
            systemd.await(afterHang, m -> status(m, "delivering continuous 400mcg/day") || status(m, "halted"), LIMIT, "STATUS after the hang");

            int beforeStop = systemd.messages().size();
            assertEquals(143, pump.stop(), "SIGTERM ends the JVM with 128 + 15");
            List<NotifySocket.Message> last = systemd.messages().subList(beforeStop, systemd.messages().size());
            NotifySocket.Message stopping = last.stream().filter(m -> m.has("STOPPING=1")).findFirst()
                    .orElseThrow(() -> new AssertionError("no STOPPING=1 on SIGTERM: " + last));
            assertTrue(status(stopping, "stopping: shutting down"), stopping.text());
            assertTrue(last.subList(last.indexOf(stopping) + 1, last.size()).stream().noneMatch(m -> m.has("WATCHDOG=1")),
                    "no pet after STOPPING: " + last);
        }
    }

    @Test
    void readyComesOnlyWithTheRecoveredProgramRunning(@TempDir Path dir) throws Exception {
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock")); DaemonProcess pump = new DaemonProcess(dir)) {
            pump.environment("NOTIFY_SOCKET", systemd.path.toString()).simulate(60);
            systemd.await(0, m -> m.has("READY=1"), LIMIT, "READY=1");
            assertTrue(pump.request(DaemonProcess.refillRequest("20mL", "500mcg/mL")).get("ok").getAsBoolean());
            assertTrue(pump.request(DaemonProcess.programRequest("400mcg/day", "500mcg/mL")).get("ok").getAsBoolean());
            pump.kill();

            int from = systemd.messages().size();
            pump.simulate(60);
            NotifySocket.Message ready = systemd.await(from, m -> m.has("READY=1"), LIMIT, "READY=1 after kill -9");
            assertTrue(status(ready, "delivering continuous 400mcg/day of 500mcg/mL"), "READY before the program was back: " + ready.text());
            assertTrue(ready.text().contains("CONTROLLER_RESTARTED/high"), "the restart is already alarmed at READY: " + ready.text());
            assertTrue(systemd.messages().subList(from, systemd.messages().size()).stream().noneMatch(m -> m.has("WATCHDOG=1")),
                    "no watchdog asked for, none sent");
        }
    }
}
