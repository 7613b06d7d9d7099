package org.openitb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openitb.store.CommitLatency;
import org.openitb.clock.ScaledClock;
import org.openitb.clock.SystemClock;
import org.openitb.config.PumpConfig;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.GpioException;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.openitb.daemon.PumpDaemon;
import org.openitb.daemon.TimeSync;
import org.openitb.demo.Demo;

/** The daemon verbs: {@code run} on the Raspberry Pi, {@code simulate} on the simulated bench. */
final class DaemonCommands {

    private DaemonCommands() {
    }

    /** What a stop (Ctrl-C, SIGTERM) leaves, said once the daemon has closed: no delivery until it starts again. */
    static String stopped(PumpConfig pump) {
        return "OpenITB " + pump.pumpId() + " stopped: the motor is off and NOT DELIVERING; the program and the counts are kept in "
                + pump.stateDir().toAbsolutePath() + ", and delivery resumes when it is started again (a restart alarm will say for how long it stopped)";
    }

    @Command(name = "run", description = "Run the pump daemon on the Raspberry Pi's GPIO (libgpiod).")
    static final class Run implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            PumpConfig pump = config.load();
            Gpio gpio;
            try {
                gpio = Gpio.raspberryPi();
            } catch (GpioException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            PumpDaemon daemon = PumpDaemon.start(pump, new SystemClock(pump.zone(), TimeSync.probe()), gpio, false, 1,
                    e -> Logger.info("{}", EventLine.of(e, pump.zone())));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                daemon.close();
                Logger.info("{}", stopped(pump));
            }, "shutdown"));
            Logger.info("OpenITB {} running on GPIO; control socket {}", pump.pumpId(), pump.controlSocket().toAbsolutePath());
            return daemon.awaitExit();
        }
    }

    @Command(name = "simulate", description = "Run the pump daemon on the simulated bench (Pi4J mock GPIO and a plant model).")
    static final class Simulate implements Callable<Integer> {

        /** The slow disk's draws are the same on every run, so a run can be repeated. */
        static final long SLOW_DISK_SEED = 1;

        @Mixin
        ConfigOption config;

        @Option(names = "--speed", paramLabel = "N", defaultValue = "1",
                description = "Simulated time runs N times real time, 1 to " + ScaledClock.MAX_SPEED
                        + " (default: ${DEFAULT-VALUE}; " + Demo.DEFAULT_SPEED + " with --demo).")
        long speed;

        @Option(names = "--demo", description = "Play a scripted session (priming, dosing, a bolus, an occlusion) and show it live.")
        boolean demo;

        @Option(names = "--slow-disk", paramLabel = "PROFILE", defaultValue = "none",
                description = "Make every commit of the state disk slower: none, sd-card (a Raspberry Pi's card under load: ~5 ms median,"
                        + " ~200 ms at the 99th percentile, a 1 s stall in 500) or a delay like 200ms (default: ${DEFAULT-VALUE}).")
        String slowDisk;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (speed < 1 || speed > ScaledClock.MAX_SPEED) {
                throw new InvalidInputException("--speed " + speed + ": must be from 1 to " + ScaledClock.MAX_SPEED);
            }
            CommitLatency.Profile disk;
            try {
                disk = CommitLatency.parse(slowDisk, SLOW_DISK_SEED);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--slow-disk: " + e.getMessage());
            }
            PumpConfig pump = config.load();
            PrintWriter out = spec.commandLine().getOut();
            if (demo) {
                boolean speedGiven = spec.commandLine().getParseResult().hasMatchedOption("--speed");
                return Demo.play(pump, speedGiven ? speed : Demo.DEFAULT_SPEED, out, Terminal.console().isPresent()) ? ExitCode.OK : ExitCode.FAILURE;
            }
            ScaledClock clock = new ScaledClock(speed, pump.zone(), PumpDaemon.simulatedStart(pump, speed, new SystemClock(pump.zone())));
            PumpDaemon daemon;
            try {
                daemon = PumpDaemon.start(pump, clock, Gpio.mock(), true, speed, e -> {
                    out.println(EventLine.of(e, pump.zone()));
                    out.flush();
                }, disk);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                daemon.close();
                out.println();
                out.println(stopped(pump));
                out.flush();
            }, "shutdown"));
            out.println("OpenITB " + pump.pumpId() + " on the simulated bench at " + speed + "x; control socket "
                    + pump.controlSocket() + "; Ctrl-C stops it");
            out.flush();
            return daemon.awaitExit();
        }
    }
}
