package org.openitb.accuracy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.openitb.drivers.balance.BalanceReading;

/**
 * A gravimetric test as {@code accuracy status} shows it: the test, where its record is, how far it
 * has come, the balance's last word, and once it has ended, its overall error and its page.
 *
 * @param header  the test
 * @param record  its CSV
 * @param report  its HTML page, once written
 * @param reads   reads recorded
 * @param faults  reads without a stable weight
 * @param elapsed since the test started
 * @param last    the last read
 * @param overall the overall error over the analysis period, once measurable
 * @param note    what a reader must know about the figures (the program changed, the report failed)
 */
public record TestStatus(TestHeader header, Path record, Optional<Path> report, int reads, long faults, Duration elapsed,
        Optional<BalanceReading> last, Optional<Analysis.Error> overall, Optional<String> note) {

    public TestStatus {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(overall, "overall");
        Objects.requireNonNull(note, "note");
    }

    /** Whether the test still reads. */
    public boolean running() {
        return header.ended().isEmpty();
    }
}
