package org.openitb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openitb.config.PumpConfig;
import org.openitb.journal.JournalEntry;
import org.openitb.report.JournalMarks;
import org.openitb.report.PumpReport;
import org.openitb.report.PumpTimeline;
import org.openitb.report.ReportText;
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
        Path page = safeOut(out, c.stateDir());
        try (PumpHistory history = PumpHistory.open(c.stateDir())) {
            Instant newest = history.newest().orElseThrow(() -> new InvalidInputException(history.file()
                    + " holds no sample and no journal entry yet: nothing to report"));
            Instant end = to == null ? newest : when("--to", to, c.zone(), null);
            Instant start = when("--from", from == null ? "7d" : from, c.zone(), end);
            if (!start.isBefore(end)) {
                throw new InvalidInputException(to == null ? "--from " + from + " is not before the newest sample (" + ReportText.local(newest, c.zone())
                        + "): nothing to report" : "--from (" + ReportText.local(start, c.zone()) + ") must be before --to (" + ReportText.local(end, c.zone()) + ")");
            }
            if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
                throw new InvalidInputException("a report covers " + MAX_RANGE.toDays() + " days at most; give a shorter range");
            }
            List<Sample> samples = history.samples(start, end);
            Optional<Sample> before = history.before(start);
            Optional<Sample> after = history.after(end);
            // Read from the sample before the range to the one after it: a change of rate or a restart between them
            // decides how the counts and the rate at the range's ends are read.
            List<JournalEntry> read = history.journal(before.map(Sample::at).filter(at -> at.isBefore(start)).orElse(start),
                    after.map(Sample::at).filter(at -> at.isAfter(end)).orElse(end));
            List<JournalEntry> journal = read.stream().filter(e -> !e.at().isBefore(start) && !e.at().isAfter(end)).toList();
            PumpTimeline t = PumpTimeline.of(samples, start, end, before, after, JournalMarks.of(read, c.zone()));
            try {
                Files.writeString(page, PumpReport.html(c.pumpId(), start, end, c.zone(), t, journal), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + page + ": " + why(e));
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%s to %s (%s): %s%s, %s%s%n", ReportText.local(start, c.zone()), ReportText.local(end, c.zone()), c.zone(),
                    ReportText.count(t.samples().size(), "sample", "samples"),
                    t.unplaced() == 0 ? "" : " (and " + t.unplaced() + " taken while the wall clock was not set, left out)",
                    ReportText.count(journal.size(), "journal entry", "journal entries"),
                    history.keepsSamples() ? "" : " (this memory is from before samples were kept: the journal only)");
            if (!t.times().isEmpty()) {
                int last = t.times().size() - 1;
                w.printf(Locale.ROOT, "program %.1f mcg, to the patient %.1f mcg (%s mcg); %s without samples%n", t.programMcg()[last],
                        t.patientMcg()[last], ReportText.signed(t.shortfallMcg()), ReportText.count(t.holes().size(), "span", "spans"));
            }
            w.println("report: " + page);
            w.flush();
            return ExitCode.OK;
        } catch (StoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Where the page may go: not into the pump's state directory (its database, its mark, its
     * records), and not over a file that is not a page already (a config, a database elsewhere).
     */
    static Path safeOut(Path out, Path stateDir) {
        if (out.toString().isBlank()) {
            throw new InvalidInputException("--out needs a file name, like week.html");
        }
        Path abs = out.toAbsolutePath().normalize();
        Path state = stateDir.toAbsolutePath().normalize();
        try {
            Path realParent = abs.getParent() == null ? abs : abs.getParent().toRealPath();
            Path realState = Files.exists(state) ? state.toRealPath() : state;
            if (realParent.startsWith(realState)) {
                throw new InvalidInputException("--out " + out + " is in the pump's state directory (" + stateDir + "): write the page elsewhere");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + why(e));
        }
        if (Files.isDirectory(abs)) {
            throw new InvalidInputException("--out " + out + " is a directory: give a file name, like week.html");
        }
        if (Files.isRegularFile(abs) && !isPage(abs)) {
            throw new InvalidInputException("--out " + out + " exists and is not an HTML page: it is not overwritten; give another name");
        }
        return abs;
    }

    private static boolean isPage(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(15);
            return new String(head, StandardCharsets.US_ASCII).equalsIgnoreCase("<!DOCTYPE html>");
        } catch (IOException e) {
            return false;
        }
    }

    private static String why(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such directory";
            case AccessDeniedException a -> "permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage();
        };
    }

    /** A date, a local date-time, a date-time with an offset, or (with {@code before}) a duration before it. */
    static Instant when(String option, String text, ZoneId zone, Instant before) {
        // "2026-12-06 08:00", as people write it, is the same as 2026-12-06T08:00.
        String s = text.strip().replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) +(\\d)", "$1T$2");
        String how = before == null ? "give a date (2026-12-01) or a time (2026-12-01T08:00)"
                : "give a date (2026-12-01), a time (2026-12-01T08:00) or how long before --to, up to " + MAX_RANGE.toDays() + "d (7d, 36h)";
        try {
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+")) {
                LocalDateTime local = LocalDateTime.parse(s);
                if (zone.getRules().getValidOffsets(local).isEmpty()) {
                    throw new InvalidInputException(option + " " + text.strip() + ": that time does not exist in " + zone
                            + " (the clocks went forward then)");
                }
                return local.atZone(zone).toInstant();
            }
            if (s.matches("\\d{4}-.*")) {
                return OffsetDateTime.parse(s).toInstant();
            }
        } catch (DateTimeException e) {
            throw new InvalidInputException(option + " " + text.strip() + ": not a date or time; " + how);
        }
        if (before == null) {
            throw new InvalidInputException(option + " " + text.strip() + ": " + how);
        }
        Duration back;
        try {
            back = Durations.parse(s);
        } catch (InvalidQuantityException e) {
            throw new InvalidInputException(option + " " + text.strip() + ": " + how);
        }
        return before.minus(back);
    }
}
