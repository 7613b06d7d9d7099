package org.openitb.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.openitb.clock.Clock;
import org.openitb.clock.SystemClock;
import org.openitb.config.PumpConfig;
import org.openitb.control.ControlServer;
import org.openitb.control.ControlService;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DoseLoop;
import org.openitb.delivery.TherapyEvent;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.stepper.MotorWatchdogThread;
import org.openitb.sim.SimulatedBench;
import org.tinylog.Logger;

/**
 * The running pump: the assembled {@link Pump} with its threads (dose loop, input loop, motor
 * watchdog) and its control socket. {@code run} and {@code simulate} differ only in the board and
 * the clock they pass in. A loop that fails is a broken invariant: the motor goes to its safe
 * state and the daemon ends with exit code 1, for systemd to restart it.
 */
final class PumpDaemon implements AutoCloseable {

    private final Pump pump;
    private final Optional<SimulatedBench> bench;
    private final MotorWatchdogThread watchdog;
    private final DoseLoop doseLoop;
    private final DoseLoop inputLoop;
    private final ControlServer control;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile int exitCode;
    private volatile boolean closed;

    private PumpDaemon(PumpConfig config, Clock clock, Gpio gpio, boolean simulated, long speed, Consumer<TherapyEvent> events)
            throws IOException {
        prepareStateDir(config.stateDir());
        BenchHands hands = new BenchHands(config);
        this.pump = Pump.assemble(config, clock, gpio, watchdogTimeout(config, speed), DeliverySink.NONE, hands.then(events));
        try {
            this.bench = simulated ? Optional.of(SimulatedBench.attach(gpio, config, clock)) : Optional.empty();
            bench.ifPresent(hands::attach);
            this.watchdog = MotorWatchdogThread.start(pump.watchdog, clock);
            this.doseLoop = DoseLoop.start("dose-loop", clock, pump.controller()::tick, this::failed);
            pump.controller().wakeWith(doseLoop::wake);
            this.inputLoop = DoseLoop.start("input-loop", clock, now -> {
                long next = pump.tickInputs(now);
                return bench.isPresent() ? Math.min(next, bench.get().tick(now)) : next;
            }, this::failed);
            pump.onInputEdge(inputLoop::wake);
            ControlService service = new ControlService(config.pumpId(), pump.controller(), bench,
                    config.mechanics().volumePerMicrostep(), speed);
            this.control = ControlServer.start(config.controlSocket(), service, new SystemClock(config.zone()));
        } catch (IOException | RuntimeException e) {
            pump.close();
            throw e;
        }
    }

    /** Starts the pump's threads and its control socket. */
    static PumpDaemon start(PumpConfig config, Clock clock, Gpio gpio, boolean simulated, long speed,
            Consumer<TherapyEvent> events) throws IOException {
        return new PumpDaemon(config, clock, gpio, simulated, speed, events);
    }

    Pump pump() {
        return pump;
    }

    Optional<SimulatedBench> bench() {
        return bench;
    }

    /** Blocks until the daemon is closed (0) or a loop failed (1). */
    int awaitExit() throws InterruptedException {
        ended.await();
        return exitCode;
    }

    private void failed(Throwable cause) {
        pump.stepper.safeState("broken invariant, the daemon stops: " + cause);
        Logger.error("the pump stops on a broken invariant; systemd (or the operator) restarts it: {}", cause.toString());
        exitCode = 1;
        ended.countDown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        control.close();
        inputLoop.close();
        doseLoop.close();
        watchdog.close();
        pump.close();
        ended.countDown();
    }

    /** The least real time the motor watchdog allows the loop, whatever the simulation speed. */
    static final Duration WATCHDOG_REAL_FLOOR = Duration.ofMillis(500);

    /** The configured watchdog, or for a fast simulation at least {@link #WATCHDOG_REAL_FLOOR} of real time in simulated time. */
    static Duration watchdogTimeout(PumpConfig config, long speed) {
        Duration scaled = WATCHDOG_REAL_FLOOR.multipliedBy(speed);
        Duration configured = config.stepper().watchdog();
        return speed > 1 && scaled.compareTo(configured) > 0 ? scaled : configured;
    }

    private static void prepareStateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("state.dir " + dir + " is not writable by this user");
        }
    }
}
