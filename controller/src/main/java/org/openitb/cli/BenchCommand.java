package org.openitb.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openitb.config.ConfigLoader;
import org.openitb.perf.BenchReport;
import org.openitb.perf.BenchRun;
import org.openitb.perf.CpuHog;
import org.openitb.perf.GarbageMaker;
import org.openitb.therapy.Durations;
import org.openitb.therapy.InvalidQuantityException;
import org.tinylog.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: the numbers a bench engineer asks for before trusting the loop, each beside a naive baseline. */
@Command(name = "bench", description = {
    "Measure the pump against naive baselines in one process.",
    "Step lateness at 500 Hz (the daemon priming on the simulated bench,",
    "against a step-then-sleep loop) while telemetry and a background allocator run; rate error at 100 Hz and 1 kHz; CPU at one step",
    "every 8 s (against a busy-wait loop); heap and resident set; with --broker, occlusion edge to alarm at a subscriber.",
    "State goes to a scratch directory that is removed afterwards; a running pump is not touched."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "D", defaultValue = "20s",
            description = "How long the lateness phase measures, 5s to 90s; the other phases take fractions of it (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--broker", paramLabel = "URL", description = "Also measure alarm latency through this broker (tcp://host:port).")
    String broker;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "200",
            description = "Occlusion on/off cycles for the alarm latency, " + BenchRun.MIN_CYCLES + " to " + BenchRun.MAX_CYCLES
                    + " (default: ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Take the stepper, sensor and annunciator wiring from this config (default: the example's); "
                    + "state, MQTT, calibration and priming are the bench's own.")
    Path config;

    @Option(names = "--cpu-hog", paramLabel = "N", defaultValue = "0",
            description = "Spin N busy threads beside the lateness and rate phases (ours and the baselines alike), 0 to "
                    + CpuHog.MAX_THREADS + " (default: ${DEFAULT-VALUE}).")
    int cpuHog;

    @Option(names = "--garbage", paramLabel = "MB/s", defaultValue = "" + BenchRun.ALLOCATION_MB_PER_SECOND,
            description = "Allocate this much garbage a second in the background while the lateness and rate phases run, 0 to "
                    + GarbageMaker.MAX_MB_PER_SECOND + " (default: ${DEFAULT-VALUE}).")
    int garbage;

    @Option(names = "--no-sd-card", description = "Skip the lateness phase on a state disk played as an SD card under load.")
    boolean noSdCard;

    @Spec
    CommandSpec spec;

    /** The alarm cycles would log two warnings each: only errors go to the console during a bench. */
    private static void quietLog() {
        try {
            Configuration.set("writer.level", "error");
        } catch (UnsupportedOperationException e) {
            // the logger is already running (a test in the same JVM): its level stays
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration d;
        try {
            d = Durations.parse(duration);
        } catch (InvalidQuantityException e) {
            throw new InvalidInputException("--duration " + e.getMessage());
        }
        Optional<URI> url;
        try {
            url = broker == null ? Optional.empty() : Optional.of(ConfigLoader.brokerUrl(broker));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--broker '" + broker + "' " + e.getMessage());
        }
        BenchRun.Settings settings;
        try {
            settings = new BenchRun.Settings(d, url, cycles, Optional.ofNullable(config), cpuHog, !noSdCard, garbage);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        quietLog();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchReport report;
        try {
            report = BenchRun.run(settings, line -> {
                err.println("bench: " + line);
                err.flush();
            });
        } catch (BenchRun.BadConfig e) {
            throw new InvalidInputException(e.getMessage());
        }
        if (json) {
            out.println(report.json());
        } else {
            report.table().forEach(out::println);
            out.println();
            report.conditions().forEach(out::println);
        }
        out.flush();
        return ExitCode.OK;
    }
}
