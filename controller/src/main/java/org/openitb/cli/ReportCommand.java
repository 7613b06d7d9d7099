package org.openitb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openitb.config.PumpConfig;
import org.openitb.journal.JournalEntry;
import org.openitb.report.PumpReport;
import org.openitb.report.PumpTimeline;
import org.openitb.store.PumpHistory;
import org.openitb.store.Sample;
import org.openitb.store.StoreException;
import org.openitb.therapy.Durations;
import org.openitb.therapy.InvalidQuantityException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openitb report}: a pump's record over a time range, from its own memory, as one HTML page (docs/report.md). */
@Command(name = "report", description = "Draw a pump's delivery against its program, reservoir, withdrawal-risk estimate and alarms over a time"
        + " range, from its memory (state.dir; the daemon may be running), into one HTML page.")
final class ReportCommand implements Callable<Integer> {

    /** The longest range one page draws: the samples a year and a bit holds. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    @Mixin
    ConfigOption config;

    @Option(names = "--from", paramLabel = "WHEN", description = "Start: a date (2026-12-01), a local time (2026-12-01T08:00), a time with its offset,"
            + " or how long before --to (7d, 36h). Default: 7d.")
    String from;

    @Option(names = "--to", paramLabel = "WHEN", description = "End, written as --from's dates (default: the newest sample).")
    String to;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "openitb-report.html", description = "Where to write the page (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PumpConfig c = config.load();
        try (PumpHistory history = PumpHistory.open(c.stateDir())) {
            Instant end = to == null ? history.newest().orElseThrow(() -> new InvalidInputException(history.file()
                    + " holds no sample and no journal entry yet: nothing to report")) : when("--to", to, c.zone(), null);
            Instant start = when("--from", from == null ? "7d" : from, c.zone(), end);
            if (!start.isBefore(end)) {
                throw new InvalidInputException("--from (" + start + ") must be before --to (" + end + ")");
            }
            if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
                throw new InvalidInputException("a report covers " + MAX_RANGE.toDays() + " days at most; give a shorter range");
            }
            List<Sample> samples = history.samples(start, end);
            List<JournalEntry> journal = history.journal(start, end);
            try {
                Files.writeString(out, PumpReport.html(c.pumpId(), start, end, c.zone(), samples, journal), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
            }
            PrintWriter w = spec.commandLine().getOut();
            PumpTimeline t = PumpTimeline.of(samples);
            w.printf(Locale.ROOT, "%s to %s: %d samples%s, %d journal %s%s%n", start, end, t.samples().size(),
                    t.unplaced() == 0 ? "" : " (and " + t.unplaced() + " taken while the wall clock was not set, left out)", journal.size(),
                    journal.size() == 1 ? "entry" : "entries",
                    history.keepsSamples() ? "" : " (this memory is from before samples were kept: the journal only)");
            if (!samples.isEmpty()) {
                double[] program = t.programMcg();
                double[] patient = t.patientMcg();
                w.printf(Locale.ROOT, "program %.1f mcg, to the patient %.1f mcg (%s mcg); %d spans without samples%n", program[program.length - 1],
                        patient[patient.length - 1], PumpReport.signed(t.shortfallMcg()), t.holes().size());
            }
            w.println("report: " + out);
            w.flush();
            return ExitCode.OK;
        } catch (StoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A date, a local date-time, a date-time with an offset, or (with {@code before}) a duration before it. */
    static Instant when(String option, String text, ZoneId zone, Instant before) {
        String s = text.strip();
        try {
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+")) {
                return LocalDateTime.parse(s).atZone(zone).toInstant();
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
                return OffsetDateTime.parse(s).toInstant();
            }
        } catch (DateTimeException e) {
            throw new InvalidInputException(option + " " + s + ": not a date or time (" + e.getMessage() + ")");
        }
        if (before == null) {
            throw new InvalidInputException(option + " " + s + ": give a date (2026-12-01) or a time (2026-12-01T08:00)");
        }
        try {
            return before.minus(Durations.parse(s));
        } catch (InvalidQuantityException e) {
            throw new InvalidInputException(option + " " + s + ": give a date (2026-12-01), a time (2026-12-01T08:00) or how long before --to (7d): "
                    + e.getMessage());
        }
    }
}
