package org.openitb.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestHeader;
import org.openitb.report.AccuracyReport;
import org.openitb.therapy.Durations;

/**
 * What a test that ended comes to: its analysis, what a reader must know that the figures do not
 * say, and its page and trumpet picture written beside the record (if they could be).
 *
 * @param page    the page, if written
 * @param overall the overall error, if measured
 * @param notes   the test's notes, its findings, and why there is no figure or no page where there is none
 */
record TestOutcome(Optional<Path> page, Optional<Analysis.Error> overall, List<String> notes) {

    TestOutcome {
        notes = List.copyOf(notes);
    }

    /** Analyses the test {@code header} that recorded {@code reads} and writes its page in {@code dir}. */
    static TestOutcome of(Path dir, TestHeader header, List<Recorded> reads) {
        List<String> notes = new ArrayList<>(header.notes());
        notes.addAll(header.plan().findings(reads));
        Optional<Path> page = Optional.empty();
        Optional<Analysis.Error> overall = Optional.empty();
        try {
            Analysis a = header.plan().analyse(reads);
            overall = a.overall();
            if (overall.isEmpty()) {
                notes.add("no overall error: the analysis period (" + Durations.format(header.plan().setup().analysisFrom()) + " to "
                        + Durations.format(header.plan().setup().analysisTo()) + ") holds fewer than two stable readings;"
                        + " analyse the record again with accuracy analyse --from --to");
            }
            page = Optional.of(TestFiles.writeReport(dir, header.name(), AccuracyReport.html("Accuracy test " + header.name(),
                    header.plan().setup(), header.plan().readInterval(), a, reads, header.plan().tolerancePercent(), notes),
                    AccuracyReport.trumpetPng(a, header.plan().tolerancePercent())));
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            notes.add("no report: " + e.getMessage());
        }
        return new TestOutcome(page, overall, notes);
    }
}
