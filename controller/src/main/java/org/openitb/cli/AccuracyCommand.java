package org.openitb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Gravimetry;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestSetup;
import org.openitb.report.AccuracyReport;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Durations;
import org.openitb.therapy.FlowRate;
import org.openitb.therapy.Mass;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openitb accuracy ...}: the gravimetric accuracy test (docs/accuracy.md). */
@Command(name = "accuracy", description = "The gravimetric accuracy test (IEC 60601-2-24's method): start, follow or stop one on the running"
        + " daemon, or analyse a record into a report.",
        subcommands = {AccuracyTestCommands.Start.class, AccuracyTestCommands.Status.class, AccuracyTestCommands.Stop.class, AccuracyCommand.Analyse.class})
final class AccuracyCommand implements Runnable {

    @Override
    public void run() {
        throw new InvalidInputException("accuracy needs a subcommand: start, status, stop or analyse");
    }

    /** {@code openitb accuracy analyse --record FILE ...}: a record's figures on the terminal and its page beside it. */
    @Command(name = "analyse", description = "Compute the start-up curve, trumpet curve and overall error of a recorded test; write its HTML report.")
    static final class Analyse implements Callable<Integer> {

        /** A record larger than this is not one (a week at 1 s is about 30 MB). */
        static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

        @Option(names = "--record", paramLabel = "FILE", required = true, description = "The test's record (CSV: elapsed_s,status,grams,reply).")
        Path record;

        @Option(names = "--rate", paramLabel = "RATE", description = "The rate the test ran at, e.g. 0.033333mL/h; or give --daily-dose and --concentration.")
        String rate;

        @Option(names = "--daily-dose", paramLabel = "RATE", description = "The program's daily dose, e.g. 400mcg/day (with --concentration).")
        String dailyDose;

        @Option(names = "--concentration", paramLabel = "C", description = "The syringe's concentration, e.g. 500mcg/mL (with --daily-dose).")
        String concentration;

        @Option(names = "--density", paramLabel = "DENSITY", defaultValue = "0.998g/mL", description = "The fluid's density (default: ${DEFAULT-VALUE}).")
        String density;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30s",
                description = "The analysis' delta t, a whole number of the record's read intervals (default: ${DEFAULT-VALUE}).")
        String interval;

        @Option(names = "--readability", paramLabel = "MASS", defaultValue = "0.00001g",
                description = "One count of the balance's last digit (default: ${DEFAULT-VALUE}).")
        String readability;

        @Option(names = "--evaporation", paramLabel = "MG_PER_H", defaultValue = "0", description = "Evaporation to add back, mg/h (default: 0).")
        String evaporation;

        @Option(names = "--from", paramLabel = "DURATION", defaultValue = "1h", description = "Analysis period start (default: ${DEFAULT-VALUE}, the second hour).")
        String from;

        @Option(names = "--to", paramLabel = "DURATION", defaultValue = "2h", description = "Analysis period end (default: ${DEFAULT-VALUE}).")
        String to;

        @Option(names = "--windows", paramLabel = "LIST", defaultValue = "2m,5m,11m,19m,31m",
                description = "Observation windows (default: ${DEFAULT-VALUE}, the standard's).")
        String windows;

        @Option(names = "--tolerance", paramLabel = "PERCENT", defaultValue = "5", description = "Tolerance band drawn on the trumpet, in percent (default: 5).")
        String tolerance;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write the report (default: the record's name with .html).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            TestSetup setup = setup();
            List<Recorded> reads = read(record);
            // A record read more often than the analysis' delta t is analysed on its grid, as the daemon's test is.
            Analysis a = Gravimetry.analyse(Gravimetry.onGrid(Recorded.stable(reads), setup.sampleInterval(), readInterval(reads, setup)), setup);
            Path page = out != null ? out : record.resolveSibling(record.getFileName().toString().replaceFirst("\\.csv$", "") + ".html");
            Files.writeString(page, AccuracyReport.html("Accuracy test " + record.getFileName(), setup, a, reads, number("--tolerance", tolerance,
                    0.1, 100)), StandardCharsets.UTF_8);
            PrintWriter w = spec.commandLine().getOut();
            long faults = Recorded.faults(reads);
            w.printf(Locale.ROOT, "%d reads, %d without a stable weight; rate %.3f uL/h%n", reads.size(), faults, setup.rateUlPerHour());
            w.println(a.overall().map(e -> String.format(Locale.ROOT, "overall error %+.2f %% +/- %.2f %%", e.percent(), e.uncertaintyPercent()))
                    .orElse("overall error: not measured (fewer than two stable readings in the analysis period)"));
            for (Analysis.Window win : a.trumpet()) {
                w.printf(Locale.ROOT, "window %-4s Ep(max) %s  Ep(min) %s  +/- %.2f %%  (%d of %d windows)%n", Durations.format(win.length()),
                        win.max().map(e -> String.format(Locale.ROOT, "%+7.2f %%", e.percent())).orElse("      -  "),
                        win.min().map(e -> String.format(Locale.ROOT, "%+7.2f %%", e.percent())).orElse("      -  "),
                        win.uncertaintyPercent(), win.windows(), win.expected());
            }
            w.println("report: " + page);
            w.flush();
            return ExitCode.OK;
        }

        private TestSetup setup() {
            double rateUlPerHour;
            try {
                if (rate != null && dailyDose == null && concentration == null) {
                    rateUlPerHour = FlowRate.parse(rate).picolitresPerHour() / 1e6;
                } else if (rate == null && dailyDose != null && concentration != null) {
                    rateUlPerHour = DailyRate.parse(dailyDose).nanogramsPerDay() * 1_000.0 / Concentration.parse(concentration).nanogramsPerMl() / 24;
                } else {
                    throw new InvalidInputException("give the test's rate as --rate, or as --daily-dose with --concentration (not both)");
                }
                List<Duration> w = new ArrayList<>();
                for (String part : windows.split(",", -1)) {
                    w.add(Durations.parse(part.strip()));
                }
                BigDecimal grams = Mass.parse(readability).grams();
                String d = density.strip();
                return new TestSetup(rateUlPerHour, number("--density", d.endsWith("g/mL") ? d.substring(0, d.length() - 4) : d, 0.5, 2.5),
                        Durations.parse(interval), number("--evaporation", evaporation, 0, 1_000), grams.doubleValue(), Durations.parse(from),
                        Durations.parse(to), w);
            } catch (IllegalArgumentException e) { // a quantity that is not one, a setup out of its bounds
                throw new InvalidInputException(e.getMessage());
            }
        }

        /** The record's read interval, which the analysis' delta t must be a whole number of. */
        private static Duration readInterval(List<Recorded> reads, TestSetup setup) {
            Duration read;
            try {
                read = Recorded.readInterval(reads);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            if (setup.sampleInterval().toNanos() % read.toNanos() != 0) {
                throw new InvalidInputException("--interval " + Durations.format(setup.sampleInterval()) + " is not a whole number of the record's read"
                        + " interval (" + Durations.format(read) + ")");
            }
            return read;
        }

        private static double number(String option, String text, double min, double max) {
            double v;
            try {
                v = Double.parseDouble(text.strip().replace("%", ""));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(option + " " + text + ": not a number");
            }
            if (!(v >= min && v <= max)) {
                throw new InvalidInputException(option + " " + text + ": must be " + min + " to " + max);
            }
            return v;
        }

        private static List<Recorded> read(Path file) throws IOException {
            try {
                if (Files.size(file) > MAX_RECORD_BYTES) {
                    throw new InvalidInputException(file + ": " + Files.size(file) + " bytes is more than a test's record (" + MAX_RECORD_BYTES + ")");
                }
                return ReadingsCsv.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new InvalidInputException(file + ": no such record");
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file + ": " + e.getMessage());
            }
        }
    }
}
