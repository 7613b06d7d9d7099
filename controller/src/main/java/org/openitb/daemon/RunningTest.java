package org.openitb.daemon;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.openitb.accuracy.AccuracyRun;
import org.openitb.accuracy.ReadingsCsv;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestHeader;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestStatus;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.openitb.drivers.balance.Balance;
import org.openitb.drivers.balance.BalanceReading;
import org.tinylog.Logger;

/**
 * A gravimetric test under way on its own thread: each read appended to its record as it is made,
 * a balance fault journaled when it begins. Confined to its thread but for what is volatile.
 */
final class RunningTest {

    /** What a test asks of the daemon that hosts it. */
    interface Host {
        /** Ends {@code t} as {@code how}: analysed, its page written, the journal told. */
        void end(RunningTest t, String how);

        /** Journals an event of the test {@code header}. */
        void event(String type, String who, TestHeader header, Map<String, Object> details);

        /** How delivery now differs from the steady rate the test measures, if it does. */
        Optional<String> deviation(double rateUlPerHour);

        /** Keeps the test's header (its notes grew). */
        void save(TestHeader header);
    }

    /** Fault events journaled per test at most; the rest are in the record. */
    static final int MAX_FAULT_EVENTS = 50;

    /** The test, with what was noted during it so far. */
    volatile TestHeader header;
    final Path record;
    final CompletableFuture<TestStatus> ended = new CompletableFuture<>();
    volatile Optional<String> stopBy = Optional.empty();
    LoopThread loop;
    private final Balance balance;
    private final AccuracyRun run;
    private final long startNanos;
    private final Clock clock;
    private final Host host;
    private Optional<String> deviation = Optional.empty();
    private final List<Recorded> earlier;
    private volatile TestStatus snapshot;
    private BufferedWriter csv;
    private int faultEvents;
    private BalanceReading.Status lastStatus = BalanceReading.Status.STABLE;

    /** A test of {@code balance} (none: a test ended before it read) whose time zero is {@code startNanos}. */
    RunningTest(TestHeader header, Path record, Balance balance, long startNanos, List<Recorded> earlier, Clock clock, Host host) {
        this.header = header;
        this.clock = clock;
        this.host = host;
        this.record = record;
        this.balance = balance;
        this.startNanos = startNanos;
        this.earlier = List.copyOf(earlier);
        this.run = balance == null ? null : new AccuracyRun(balance, header.plan().readInterval(), header.plan().length(), startNanos, earlier,
                this::recorded);
        this.snapshot = new TestStatus(header, record, Optional.empty(), earlier.size(), Recorded.faults(earlier), Duration.ZERO,
                AccuracyHost.lastOf(earlier), Optional.empty(), Optional.empty());
    }

    boolean running() {
        return !ended.isDone();
    }

    long pass(long now) {
        if (!running()) {
            return Long.MAX_VALUE;
        }
        if (stopBy.isPresent()) {
            host.end(this, "stopped by " + stopBy.get());
            return Long.MAX_VALUE;
        }
        long next = run.tick(now);
        if (next == Long.MAX_VALUE) {
            host.end(this, "finished");
        }
        return next;
    }

    /** Each read goes to the record at once; a fault that begins goes to the journal too. */
    private void recorded(Recorded r) {
        try {
            if (csv == null) {
                csv = Files.newBufferedWriter(record, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            csv.write(ReadingsCsv.line(r));
            csv.newLine();
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the test's record cannot be written: " + e.getMessage(), e);
        }
        BalanceReading.Status status = r.reading().status();
        if (status != BalanceReading.Status.STABLE && status != lastStatus && faultEvents < MAX_FAULT_EVENTS) {
            faultEvents++;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", status.name());
            details.put("reply", ReadingsCsv.printable(r.reading().line()));
            details.put("at", TestPlan.clock(r.elapsedNanos()));
            if (faultEvents == MAX_FAULT_EVENTS) {
                details.put("note", "the last fault journaled for this test; the rest are in its record");
            }
            host.event("accuracy-fault", "balance", header, details);
        }
        lastStatus = status;
        // What delivery did at each read: a suspension, a halt or a new rate is noted once, where it began and where it ended.
        Optional<String> now = host.deviation(header.plan().rateUlPerHour());
        if (!now.equals(deviation)) {
            header = header.noting("at " + TestPlan.clock(r.elapsedNanos()) + ": " + now.orElse("delivering the test's rate again"));
            host.save(header);
            deviation = now;
        }
        // Made here, on the test's thread: the reads are this thread's alone, and status only reads the snapshot.
        List<Recorded> all = run.reads();
        List<String> notes = new ArrayList<>(header.notes());
        notes.addAll(header.plan().findings(all));
        snapshot = new TestStatus(header, record, Optional.empty(), all.size(), Recorded.faults(all), Duration.ofNanos(r.elapsedNanos()),
                Optional.of(r.reading()), Optional.empty(), notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes)));
    }

    List<Recorded> reads() {
        return run == null ? earlier : run.reads();
    }

    Duration elapsed() {
        return Duration.ofNanos(Math.max(0, Math.min(clock.nanos() - startNanos, header.plan().length().toNanos())));
    }

    /** How it goes now, with what a reader must know so far (notes, reads missed, a vessel that lost mass). */
    TestStatus status() {
        TestStatus s = snapshot;
        return new TestStatus(s.header(), s.record(), s.report(), s.reads(), s.faults(), elapsed(), s.last(), s.overall(), s.note());
    }

    /** Lets go of the balance and the record; the thread is stopped by whoever is not it ({@link #retire}). */
    void release() {
        if (balance != null) {
            balance.close();
        }
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                Logger.error("the test's record could not be closed: {}", e.getMessage());
            }
        }
    }

    /** Stops the test's thread, from another thread. */
    void retire() {
        if (loop != null) {
            loop.close();
        }
    }
}
