package org.openitb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Gravimetry;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestHeader;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestSetup;
import org.openitb.control.Numbers;
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

        @Option(names = "--rate", paramLabel = "RATE", description = "The rate the test ran at, e.g. 33.333uL/h; or give --daily-dose and --concentration"
                + " (default: the test's own, from NAME.test beside the record).")
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

        @Option(names = "--evaporation", paramLabel = "RATE", defaultValue = "0mg/h", description = "Evaporation to add back, e.g. 0.3mg/h (default: none).")
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
            List<Recorded> reads = read(record);
            if (reads.size() < 2) {
                throw new InvalidInputException(record + ": " + reads.size() + " read" + (reads.size() == 1 ? "" : "s") + "; an analysis needs two at least");
            }
            Optional<TestHeader> header = header(record);
            TestSetup setup = setup(header);
            if (setup.analysisTo().toNanos() > reads.get(reads.size() - 1).elapsedNanos() + Recorded.readInterval(reads).toNanos()) {
                throw new InvalidInputException("the analysis period ends at " + Durations.format(setup.analysisTo()) + ", after the record's last read ("
                        + TestPlan.clock(reads.get(reads.size() - 1).elapsedNanos()) + "): give --to");
            }
            Duration readInterval = readInterval(reads, setup);
            // A record read more often than the analysis' delta t is analysed on its grid, as the daemon's test is.
            Analysis a = Gravimetry.analyse(Gravimetry.onGrid(Recorded.stable(reads), setup.sampleInterval(), readInterval), setup);
            double band = given("--tolerance") || header.isEmpty() ? number("--tolerance", tolerance, "%", 0.1, 100) : header.get().plan().tolerancePercent();
            List<String> notes = new ArrayList<>(header.map(TestHeader::notes).orElse(List.of()));
            notes.addAll(TestPlan.findings(reads, readInterval, setup));
            Path page = out != null ? out : record.resolveSibling(record.getFileName().toString().replaceFirst("\\.csv$", "") + ".html");
            Files.writeString(page, AccuracyReport.html("Accuracy test " + record.getFileName(), setup, readInterval, a, reads, band, notes),
                    StandardCharsets.UTF_8);
            PrintWriter w = spec.commandLine().getOut();
            long faults = Recorded.faults(reads);
            w.printf(Locale.ROOT, "%d read%s, %d without a stable weight; rate %.3f uL/h; delta t %s%s%n", reads.size(), reads.size() == 1 ? "" : "s",
                    faults, setup.rateUlPerHour(), Durations.format(setup.sampleInterval()), header.isPresent() ? " (the test's own setup, from "
                    + record.getFileName().toString().replaceFirst("\\.csv$", "") + ".test, where no option says otherwise)" : "");
            notes.forEach(n -> w.println("note: " + n));
            w.println(a.overall().map(e -> String.format(Locale.ROOT, "overall error %+.2f %% +/- %s %%", e.percent(), uncertainty(e.uncertaintyPercent())))
                    .orElse("overall error: not measured (fewer than two stable readings in the analysis period)"));
            for (Analysis.Window win : a.trumpet()) {
                w.printf(Locale.ROOT, "window %-4s Ep(max) %s  Ep(min) %s  +/- %s %%  (%d of %d windows)%n", Durations.format(win.length()),
                        win.max().map(e -> String.format(Locale.ROOT, "%+7.2f %%", e.percent())).orElse("      -  "),
                        win.min().map(e -> String.format(Locale.ROOT, "%+7.2f %%", e.percent())).orElse("      -  "),
                        uncertainty(win.uncertaintyPercent()), win.windows(), win.expected());
            }
            w.println("report: " + page);
            w.flush();
            return ExitCode.OK;
        }

        /** An uncertainty to two decimals, or said to be below that rather than shown as zero. */
        static String uncertainty(double percent) {
            return percent < 0.005 ? "<0.01" : String.format(Locale.ROOT, "%.2f", percent);
        }

        private boolean given(String option) {
            return spec.commandLine().getParseResult().hasMatchedOption(option);
        }

        /** The test's header beside its record ({@code NAME.test} for {@code NAME.csv}), if the daemon wrote one. */
        private static Optional<TestHeader> header(Path record) throws IOException {
            Path file = record.resolveSibling(record.getFileName().toString().replaceFirst("\\.csv$", "") + ".test");
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
                return Optional.of(TestHeader.fromProperties(p));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file + ": " + e.getMessage());
            }
        }

        /** The setup: each option given, else the test's own from its header, else the option's default. */
        private TestSetup setup(Optional<TestHeader> header) {
            Optional<TestSetup> own = header.map(h -> h.plan().setup());
            double rateUlPerHour;
            try {
                if (rate != null && dailyDose == null && concentration == null) {
                    rateUlPerHour = FlowRate.parse(rate).picolitresPerHour() / 1e6;
                } else if (rate == null && dailyDose != null && concentration != null) {
                    rateUlPerHour = DailyRate.parse(dailyDose).nanogramsPerDay() * 1_000.0 / Concentration.parse(concentration).nanogramsPerMl() / 24;
                } else if (rate == null && dailyDose == null && concentration == null && own.isPresent()) {
                    rateUlPerHour = own.get().rateUlPerHour();
                } else {
                    throw new InvalidInputException("give the test's rate as --rate, or as --daily-dose with --concentration (not both)");
                }
                List<Duration> w = new ArrayList<>();
                if (given("--windows") || own.isEmpty()) {
                    for (String part : windows.split(",", -1)) {
                        w.add(Durations.parse(part.strip()));
                    }
                } else {
                    w.addAll(own.get().windows());
                }
                return new TestSetup(rateUlPerHour,
                        given("--density") || own.isEmpty() ? number("--density", density, "g/mL", 0.5, 2.5) : own.get().densityGPerMl(),
                        given("--interval") || own.isEmpty() ? Durations.parse(interval) : own.get().sampleInterval(),
                        given("--evaporation") || own.isEmpty() ? number("--evaporation", evaporation, "mg/h", 0, 1_000) : own.get().evaporationMgPerHour(),
                        given("--readability") || own.isEmpty() ? Mass.parse(readability).grams().doubleValue() : own.get().resolutionG(),
                        given("--from") || own.isEmpty() ? Durations.parse(from) : own.get().analysisFrom(),
                        given("--to") || own.isEmpty() ? Durations.parse(to) : own.get().analysisTo(), w);
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

        /** A number of {@code unit} (which may be left off) from {@code min} to {@code max}. */
        private static double number(String option, String text, String unit, double min, double max) {
            try {
                return Numbers.parse(text, unit, min, max);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(option + " " + e.getMessage());
            }
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
