package org.openitb.daemon;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.accuracy.Analysis;
import org.openitb.accuracy.Recorded;
import org.openitb.accuracy.TestHeader;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestRefused;
import org.openitb.accuracy.TestStatus;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.openitb.clock.Waits;
import org.openitb.config.PumpConfig;
import org.openitb.control.AccuracyControl;
import org.openitb.delivery.DeliveryController;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.drivers.balance.Balance;
import org.openitb.drivers.balance.BalanceException;
import org.openitb.drivers.balance.BalanceReading;
import org.openitb.drivers.balance.SerialBalance;
import org.openitb.journal.TherapyEvent;
import org.openitb.therapy.Durations;
import org.tinylog.Logger;

/**
 * The gravimetric test the daemon hosts: one at a time, on a thread of its own (a balance may take
 * its whole timeout to say nothing; no loop of the pump waits for it), on the pump's clock, so a
 * fast simulation paces it too. Every read is appended to the test's CSV as it is made; its header
 * beside it says how to resume it, which the daemon does when it starts again. A balance fault is
 * journaled when it begins; the test's end is journaled with its overall error, and its page is
 * written beside the record. A fault of the test (a disk that refuses the record) ends the test, never
 * the pump.
 */
final class AccuracyHost implements AccuracyControl, RunningTest.Host, AutoCloseable {

    private static final DateTimeFormatter NAMED = DateTimeFormatter.ofPattern("'test-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;
    private final Clock real;
    private final DeliveryController controller;
    private final Consumer<TherapyEvent> journal;
    private final AccuracySettings settings;
    private final BalanceOpener balances;
    private volatile Optional<TestStatus> last = Optional.empty();
    private RunningTest test; // guarded by this

    /**
     * Tests kept in {@code dir}, reading balances {@code balances} opens as {@code settings} say,
     * of the rate {@code controller} runs, journaled to {@code journal}; {@code real} times a stop's wait.
     */
    AccuracyHost(Path dir, Clock clock, Clock real, DeliveryController controller, Consumer<TherapyEvent> journal, AccuracySettings settings,
            BalanceOpener balances) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.real = Objects.requireNonNull(real, "real");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.balances = Objects.requireNonNull(balances, "balances");
    }

    /**
     * The tests of {@code pump}, kept in {@code dir}: on the simulated bench with its own balance
     * ({@code balance}), on a real one with the balance its config names, if any; a test a
     * previous run left unfinished is resumed.
     */
    static Optional<AccuracyHost> of(Pump pump, Clock real, Optional<BenchBalance> balance) {
        Path dir = directory(pump.config);
        Optional<AccuracyHost> host = balance.isPresent()
                ? Optional.of(new AccuracyHost(dir, pump.clock, real, pump.controller(), pump.journal,
                        pump.config.accuracy().orElse(AccuracySettings.simulated()), balance.get()::open))
                : pump.config.accuracy().map(a -> new AccuracyHost(dir, pump.clock, real, pump.controller(), pump.journal, a,
                        (s, lastGrams) -> SerialBalance.open(s.balance())));
        host.ifPresent(AccuracyHost::resume);
        return host;
    }

    /** Where a pump keeps its tests: beside its memory. */
    static Path directory(PumpConfig config) {
        return config.stateDir().resolve("accuracy");
    }

    @Override
    public synchronized TestStatus start(Optional<String> name, TestPlan.Choices choices, String who) throws TestRefused {
        if (test != null && test.running()) {
            throw new TestRefused("test " + test.header.name() + " is running: stop it first (accuracy stop)");
        }
        if (test != null) {
            test.retire(); // the last test's thread, parked since it ended
        }
        DeliveryStatus s = controller.status();
        double rate = SteadyRate.of(s);
        TestPlan plan;
        try {
            plan = TestPlan.of(rate, settings.readInterval(), settings.balance().readability().doubleValue(), choices);
        } catch (IllegalArgumentException e) {
            throw new TestRefused(e.getMessage());
        }
        // The balance first: a test whose balance cannot be read leaves nothing behind, and its time zero is its first read.
        Balance balance = open(Optional.empty());
        long now = clock.nanos();
        TestHeader header;
        try {
            header = new TestHeader(name.orElse(NAMED.format(clock.instantAt(now))), clock.instantAt(now), plan, s.running().revision());
            if (Files.exists(TestFiles.record(dir, header.name()))) {
                throw new TestRefused("a test named " + header.name() + " is already in " + dir + ": give another --name");
            }
            TestFiles.create(dir, header);
        } catch (IOException e) {
            balance.close();
            throw new TestRefused("the test's record cannot be written in " + dir + ": " + e.getMessage());
        } catch (TestRefused e) {
            balance.close();
            throw e;
        }
        begin(header, balance, now, List.of());
        event("accuracy-started", who, header, Map.of("rate", String.format(Locale.ROOT, "%.3fuL/h", rate),
                "scheme", plan.scheme().name().toLowerCase(Locale.ROOT).replace('_', '-'), "length", Durations.format(plan.length())));
        return test.status();
    }

    private Balance open(Optional<BigDecimal> lastGrams) throws TestRefused {
        try {
            return balances.open(settings, lastGrams);
        } catch (BalanceException e) {
            throw new TestRefused("the balance cannot be read: " + e.getMessage());
        }
    }

    /** Starts reading {@code balance} for the test {@code header}, whose time zero is {@code startNanos}. */
    private void begin(TestHeader header, Balance balance, long startNanos, List<Recorded> earlier) {
        test = new RunningTest(header, TestFiles.record(dir, header.name()), balance, startNanos, earlier, clock, this);
        RunningTest t = test;
        t.loop = LoopThread.create("accuracy-test", clock, Thread.NORM_PRIORITY, t::pass, e -> {
            Logger.error(e, "the accuracy test failed");
            end(t, "failed: " + e);
        }).start();
    }

    @Override
    public Optional<TestStatus> status() {
        RunningTest t;
        synchronized (this) {
            t = test;
        }
        return t != null && t.running() ? Optional.of(t.status()) : last;
    }

    @Override
    public TestStatus stop(String who) throws TestRefused {
        RunningTest t;
        synchronized (this) {
            t = test;
            if (t == null || !t.running()) {
                throw new TestRefused("no accuracy test is running");
            }
            t.stopBy = Optional.of(who);
        }
        t.loop.wake();
        try {
            // The pass under way ends within the balance's timeout; the report after it takes a moment.
            TestStatus done = Waits.get(t.ended, real, settings.balance().timeout().plusSeconds(10).toNanos());
            t.retire();
            return done;
        } catch (TimeoutException e) {
            throw new TestRefused("the test did not stop within " + settings.balance().timeout().plusSeconds(10).toSeconds() + " s; it will");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestRefused("interrupted");
        } catch (ExecutionException e) {
            throw new TestRefused("failed: " + e.getCause());
        }
    }

    /**
     * Resumes the test a previous run left unfinished, if any: its record is kept as far as its
     * last whole line, and it reads on from where the wall clock says it is (a missed read is a
     * gap the analysis counts). A test whose gap cannot be timed (the wall clock went back) ends
     * with what it has.
     */
    synchronized void resume() {
        Optional<TestFiles.Unfinished> found;
        try {
            found = TestFiles.unfinished(dir);
        } catch (IOException | IllegalArgumentException e) {
            Logger.error("an unfinished accuracy test in {} cannot be read: {}", dir, e.getMessage());
            return;
        }
        if (found.isEmpty()) {
            return;
        }
        TestHeader header = found.get().header();
        List<Recorded> reads = found.get().reads();
        long now = clock.nanos();
        long elapsed = Duration.between(header.startedAt(), clock.instantAt(now)).toNanos();
        long lastRead = reads.isEmpty() ? 0 : reads.get(reads.size() - 1).elapsedNanos();
        RunningTest t = new RunningTest(header, TestFiles.record(dir, header.name()), null, now - elapsed, reads, clock, this);
        if (elapsed < lastRead) {
            end(t, "interrupted: the wall clock is before the test's last read, so the gap cannot be timed");
            return;
        }
        Balance balance;
        try {
            balance = open(reads.stream().flatMap(r -> r.reading().grams().stream()).reduce((a, b) -> b));
        } catch (TestRefused e) {
            end(t, "interrupted: " + e.getMessage());
            return;
        }
        TestHeader noted = header.noting("from " + TestPlan.clock(lastRead) + " to " + TestPlan.clock(elapsed)
                + ": the daemon was down (the reads between are missing)");
        save(noted);
        event("accuracy-resumed", "daemon", noted, Map.of("at", TestPlan.clock(elapsed), "lastRead", TestPlan.clock(lastRead),
                "reads", reads.size()));
        begin(noted, balance, now - elapsed, reads);
    }

    /** Ends {@code t} as {@code how}: its header says so, its page is written, the journal told. Called once per test. */
    @Override
    public void end(RunningTest t, String how) {
        if (!t.running()) {
            return;
        }
        TestHeader header = t.header.endedAs(how);
        List<Recorded> reads = t.reads();
        TestOutcome outcome = TestOutcome.of(dir, header, reads);
        List<String> notes = outcome.notes();
        Optional<Path> page = outcome.page();
        Optional<Analysis.Error> overall = outcome.overall();
        save(header);
        t.release();
        TestStatus done = new TestStatus(header, t.record, page, reads.size(), Recorded.faults(reads), t.elapsed(), lastOf(reads), overall,
                notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes)));
        last = Optional.of(done);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("how", how);
        details.put("reads", reads.size());
        details.put("faults", Recorded.faults(reads));
        overall.ifPresent(e -> details.put("overallErrorPercent", String.format(Locale.ROOT, "%.3f", e.percent())));
        page.ifPresent(p -> details.put("report", p.toString()));
        event("accuracy-ended", t.stopBy.orElse("daemon"), header, details);
        t.ended.complete(done);
    }

    @Override
    public Optional<String> deviation(double rateUlPerHour) {
        return SteadyRate.deviation(controller.status(), rateUlPerHour);
    }

    @Override
    public void save(TestHeader header) {
        try {
            TestFiles.writeHeader(dir, header);
        } catch (IOException e) {
            Logger.error("the accuracy test's header could not be written: {}", e.getMessage());
        }
    }

    @Override
    public void event(String type, String who, TestHeader header, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("test", header.name());
        all.putAll(details);
        long now = clock.nanos();
        journal.accept(new TherapyEvent(type, clock.instantAt(now), now, who, all));
    }

    /** Stops the test's thread without ending it: a daemon stopping interrupts the test, which resumes when it starts again. */
    @Override
    public synchronized void close() {
        if (test != null) {
            test.retire();
            test.release();
        }
    }

    static Optional<BalanceReading> lastOf(List<Recorded> reads) {
        return reads.isEmpty() ? Optional.empty() : Optional.of(reads.get(reads.size() - 1).reading());
    }
}
