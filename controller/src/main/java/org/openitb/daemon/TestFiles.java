package org.openitb.daemon;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestHeader;
import org.tinylog.Logger;

/**
 * A gravimetric test's files in the daemon's test directory: {@code NAME.csv} (every read),
 * {@code NAME.test} (its header: how to resume or analyse it), {@code NAME.html} (its page) and
 * {@code NAME-trumpet.png} (its trumpet curve alone).
 * Headers and pages are replaced whole (written aside, then moved), so a crash leaves the old one
 * or the new one, never half of either.
 */
final class TestFiles {

    /** Tests looked at when the daemon looks for one to resume; a directory with more is not read further. */
    static final int MAX_TESTS = 1_000;
    /** A record larger than this is not resumed (a week at 1 s is about 30 MB). */
    static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

    private TestFiles() {
    }

    /** A test left running by a previous run of the daemon, with its reads so far. */
    record Unfinished(TestHeader header, List<Recorded> reads) {
    }

    static Path record(Path dir, String name) {
        return dir.resolve(name + ".csv");
    }

    /** Makes a new test's record (the header line alone) and its header; refuses one that exists. */
    static void create(Path dir, TestHeader header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(record(dir, header.name()), ReadingsCsv.HEADER + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        writeHeader(dir, header);
    }

    static void writeHeader(Path dir, TestHeader header) throws IOException {
        Path aside = dir.resolve(header.name() + ".test.new");
        try (Writer w = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
            header.toProperties().store(w, "OpenITB gravimetric test (docs/accuracy.md)");
        }
        Files.move(aside, dir.resolve(header.name() + ".test"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the test's page, and its trumpet curve as {@code NAME-trumpet.png} beside it; returns the page. */
    static Path writeReport(Path dir, String name, String html, Optional<byte[]> trumpetPng) throws IOException {
        Path aside = dir.resolve(name + "-trumpet.png.new");
        if (trumpetPng.isPresent()) { // none when no window was measured
            Files.write(aside, trumpetPng.get());
            Files.move(aside, dir.resolve(name + "-trumpet.png"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        aside = dir.resolve(name + ".html.new");
        Path page = dir.resolve(name + ".html");
        Files.writeString(aside, html, StandardCharsets.UTF_8);
        Files.move(aside, page, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return page;
    }

    /**
     * The latest test in {@code dir} that never ended, if any, with its record cut back to its
     * last whole line (the daemon may have stopped in the middle of one). Older unended tests
     * (a crash between two) are left as they are, said in the log.
     */
    static Optional<Unfinished> unfinished(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<TestHeader> open = new ArrayList<>();
        int seen = 0;
        try (DirectoryStream<Path> tests = Files.newDirectoryStream(dir, "*.test")) {
            for (Path p : tests) {
                if (++seen > MAX_TESTS) {
                    Logger.warn("more than {} tests in {}: the rest are not looked at for one to resume", MAX_TESTS, dir);
                    break;
                }
                Properties props = new Properties();
                try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    props.load(r);
                }
                TestHeader h = TestHeader.fromProperties(props);
                if (h.ended().isEmpty()) {
                    open.add(h);
                }
            }
        }
        if (open.isEmpty()) {
            return Optional.empty();
        }
        open.sort(Comparator.comparing(TestHeader::startedAt));
        TestHeader latest = open.get(open.size() - 1);
        open.subList(0, open.size() - 1).forEach(h -> Logger.warn("accuracy test {} never ended and is not resumed (a later one is)", h.name()));
        Path csv = record(dir, latest.name());
        if (Files.size(csv) > MAX_RECORD_BYTES) {
            throw new IOException(csv + " is larger than a test's record (" + MAX_RECORD_BYTES + " bytes)");
        }
        List<Recorded> reads = ReadingsCsv.parse(Files.readAllLines(csv, StandardCharsets.UTF_8));
        // Rewritten whole, so the next read is appended after a whole line, not after half of one.
        Path aside = dir.resolve(latest.name() + ".csv.new");
        List<String> lines = new ArrayList<>(reads.size() + 1);
        lines.add(ReadingsCsv.HEADER);
        reads.forEach(r -> lines.add(ReadingsCsv.line(r)));
        Files.write(aside, lines, StandardCharsets.UTF_8);
        Files.move(aside, csv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(new Unfinished(latest, reads));
    }
}
