package org.openitb.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openitb.clock.Clock;
import org.openitb.delivery.DeliveredBatch;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DurableState;
import org.openitb.delivery.StateRecorder;
import org.openitb.delivery.TherapyEvent;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.tinylog.Logger;

/**
 * The pump's memory in SQLite (WAL, synchronous=FULL) under the state directory: the durable
 * state (program, reservoir, counters), the write-ahead delivery mark with a heartbeat, the
 * journal, alarm state and the telemetry outbox. One writer thread owns
 * the connection; the dose loop only hands it work (and waits, rarely, for the write-ahead mark).
 * A failing disk never stops delivery: work is kept in memory (bounded), the failure is reported,
 * and writing resumes when it can.
 */
public final class PumpStore implements DeliverySink, StateRecorder, Consumer<TherapyEvent>, org.openitb.telemetry.Outbox, AutoCloseable {

    public static final String FILE = "openitb.db";
    /** Journal events waiting for the disk at most; beyond, they are counted as lost and that is journaled. */
    public static final int JOURNAL_QUEUE_LIMIT = 10_000;
    /** Journal rows kept at most; the oldest go first. */
    public static final int JOURNAL_ROW_LIMIT = 200_000;
    /** Alarm updates waiting for the disk at most. */
    public static final int ALARM_QUEUE_LIMIT = 1_000;
    /** Cleared alarms kept at most; alarms not cleared are always kept. */
    public static final int CLEARED_ALARM_LIMIT = 1_000;
    /** Telemetry messages waiting for the disk at most. */
    public static final int OUTBOX_QUEUE_LIMIT = 10_000;
    /** Telemetry messages kept for the broker at most (weeks of alarms); beyond, the oldest go and that is journaled. */
    public static final int OUTBOX_ROW_LIMIT = 50_000;
    /** Outbox messages one read returns at most. */
    public static final int OUTBOX_READ_LIMIT = 1_000;
    /** The most microsteps a crash may count as delivered but not emitted: one write-ahead window. */
    public static final long WRITE_AHEAD_WINDOW = WriteAheadMark.WINDOW;
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration RETRY = Duration.ofSeconds(2);

    /**
     * What the last run left: its state, how far its write-ahead mark went, its last heartbeat
     * (pump clock, real clock), and the alarms it had not cleared.
     */
    public record Recovered(Optional<DurableState> state, DeliveryMark mark, List<AlarmRecord> alarms, Optional<RiskRecord> risk) {
        public Recovered {
            alarms = List.copyOf(alarms);
            java.util.Objects.requireNonNull(risk, "risk");
        }

        /** Microsteps to count as delivered at start: the write-ahead mark, never less than the state's own count. */
        public long startMicrosteps() {
            return Math.max(mark.microsteps(), state.map(DurableState::deliveredMicrosteps).orElse(0L));
        }
    }

    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final Clock realClock;
    private final Optional<Recovered> recovered;
    private final WriteAheadMark mark;
    private final PendingWrites pending = new PendingWrites();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile String failure;
    /** When writing began to fail (pump clock); writer thread only. */
    private Instant failedSince;
    /** Flush requests handed to the writer, and the last one it has written. */
    private final AtomicLong handed = new AtomicLong();
    private volatile long written;
    /** The last number each telemetry topic gave; guarded by itself, so numbers and queue order agree. */
    private final Map<String, Long> topicSeqs;
    private volatile Runnable outboxWritten = () -> { };

    private PumpStore(Path file, Connection connection, Clock clock, Clock realClock, Optional<Recovered> recovered,
            Map<String, Long> topicSeqs) {
        this.file = file;
        this.topicSeqs = new HashMap<>(topicSeqs);
        this.connection = connection;
        this.clock = clock;
        this.realClock = realClock;
        this.recovered = recovered;
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::writeLoop);
        this.mark = new WriteAheadMark(recovered.map(Recovered::startMicrosteps).orElse(0L), () -> LockSupport.unpark(writer));
    }

    /**
     * Opens (or creates) the database in {@code stateDir}, checks its integrity, migrates it and
     * reads what the last run left. Heartbeats carry both the pump's clock and the real one.
     *
     * @throws StoreException if the file cannot be opened, fails its integrity check or comes from a newer schema
     */
    public static PumpStore open(Path stateDir, Clock clock, Clock realClock) throws StoreException {
        Path file = stateDir.resolve(FILE);
        Connection c;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(5_000);
            c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw new StoreException(kindOf(e), "cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            check(c);
            Schema.migrate(c);
            PumpStore store = new PumpStore(file, c, clock, realClock, read(c), Tables.topicSeqs(c));
            store.writer.start();
            return store;
        } catch (SQLException e) {
            close(c);
            throw new StoreException(kindOf(e), file + " is not a usable database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(c); // a state that does not decode: the file is not one this pump can trust
            throw new StoreException(StoreException.Kind.UNREADABLE, file + " holds a state that cannot be read: " + e.getMessage(), e);
        } catch (StoreException e) {
            close(c);
            throw e;
        }
    }

    /** The delivery mark a database in {@code stateDir} holds, read without opening it for writing. */
    public static Optional<DeliveryMark> lastMark(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Connection c = readOnly(file)) {
            return Tables.mark(c);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public Path file() {
        return file;
    }

    /** What the last run left, if there was one. */
    public Optional<Recovered> recovered() {
        return recovered;
    }

    /** Microsteps to count as delivered at start (0 for a new database). */
    public long startMicrosteps() {
        return recovered.map(Recovered::startMicrosteps).orElse(0L);
    }

    // ------------------------------------------------------------------ from the dose loop

    @Override
    public void beforeStep(long microstep, long horizon) {
        mark.beforeStep(microstep, horizon);
    }

    @Override
    public void delivered(DeliveredBatch batch) {
        // The counters travel in the state snapshots; a batch needs nothing of its own here.
    }

    @Override
    public void record(DurableState state) {
        pending.state(state);
        LockSupport.unpark(writer);
    }

    /** Journals {@code event}; if the queue is full (the disk has been failing for long) it is counted as lost. */
    @Override
    public void accept(TherapyEvent event) {
        pending.journal(event);
        LockSupport.unpark(writer);
    }

    /** Keeps the latest withdrawal-risk amounts (only the newest handed over is written). */
    public void saveRisk(RiskRecord risk) {
        pending.risk(risk);
        LockSupport.unpark(writer);
    }

    /** Keeps {@code alarm} (replacing the record with its id); if the queue is full the update is counted as lost. */
    public void saveAlarm(AlarmRecord alarm) {
        pending.alarm(alarm);
        LockSupport.unpark(writer);
    }

    /**
     * Queues a telemetry message for the broker, numbered within its topic: {@code payload} gets
     * the number (+1 per message on the topic, across restarts) and writes it into the message.
     * Returns the number, or empty if the queue was full: the message is lost and counted, and its
     * number stays used so that receivers see the gap.
     *
     * @throws IllegalArgumentException if the topic or payload is beyond the outbox limits (nothing is numbered)
     */
    @Override
    public OptionalLong enqueue(String topic, LongFunction<String> payload) {
        OptionalLong result;
        synchronized (topicSeqs) {
            long seq = topicSeqs.getOrDefault(topic, 0L) + 1;
            OutboxMessage m = new OutboxMessage(0, topic, seq, payload.apply(seq), clock.instant());
            topicSeqs.put(topic, seq);
            result = pending.outbox(m) ? OptionalLong.of(seq) : OptionalLong.empty();
        }
        LockSupport.unpark(writer);
        return result;
    }

    /**
     * Runs {@code work} (handing things to this store) so that all of it lands in one transaction:
     * the writer does not drain in the middle. For a journal event and its telemetry message.
     */
    public void atomically(Runnable work) {
        synchronized (topicSeqs) {
            work.run();
        }
        LockSupport.unpark(writer);
    }

    /** Called on the writer thread after messages reach the outbox on disk, for the publisher to send them; must not block. */
    @Override
    public void onOutboxWritten(Runnable listener) {
        this.outboxWritten = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The broker has every message up to {@code seq}: they leave the outbox. */
    @Override
    public void sent(long seq) {
        pending.sent(seq);
        LockSupport.unpark(writer);
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    // ------------------------------------------------------------------ reading

    /** The last {@code limit} journal entries, oldest first, read on a connection of their own. */
    public List<JournalEntry> history(int limit) throws StoreException {
        return read("the journal", c -> Tables.journal(c, limit));
    }

    /** The oldest waiting telemetry messages on disk (at most {@link #OUTBOX_READ_LIMIT}), in the order to send them. */
    public List<OutboxMessage> outbox(int limit) throws StoreException {
        return outboxAfter(0, limit);
    }

    /** As {@link #outbox(int)}, from the first message after outbox place {@code seq}. */
    @Override
    public List<OutboxMessage> outboxAfter(long seq, int limit) throws StoreException {
        return read("the outbox", c -> Tables.outbox(c, seq, Math.max(0, Math.min(limit, OUTBOX_READ_LIMIT))));
    }

    /** Alarms on disk that are not cleared, in the order they were raised. */
    public List<AlarmRecord> activeAlarms() throws StoreException {
        return read("the alarms", Tables::activeAlarms);
    }

    /** A query on a read-only connection of its own, so readers never wait for the writer's. */
    private interface Query<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T read(String what, Query<T> query) throws StoreException {
        try (Connection c = readOnly(file)) {
            return query.on(c);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot read " + what + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until everything handed to the store before this call is on disk, for at most
     * {@code timeout} of real time; false if it is not (storage failing, or slow).
     */
    public boolean flush(Duration timeout) {
        long target = handed.incrementAndGet();
        LockSupport.unpark(writer);
        long deadline = realClock.nanos() + timeout.toNanos();
        while (written < target) {
            if (realClock.nanos() - deadline >= 0 || !writer.isAlive()) {
                return false;
            }
            realClock.parkUntil(Math.min(deadline, realClock.nanos() + 1_000_000));
        }
        return true;
    }

    // ------------------------------------------------------------------ the writer

    private void writeLoop() {
        long nextHeartbeat = realClock.nanos();
        while (running) {
            long now = realClock.nanos();
            if (hasWork() || now - nextHeartbeat >= 0) {
                try {
                    write();
                    nextHeartbeat = realClock.nanos() + HEARTBEAT.toNanos();
                    if (failure != null) {
                        Logger.info("writing {} works again", file);
                        // Journaled once the disk takes writes again, so the history shows the stretch it missed.
                        pending.journal(new TherapyEvent("storage-recovered", clock.instant(), clock.nanos(), "pump",
                                Map.of("failedSince", failedSince.toString(), "error", failure)));
                        failure = null;
                        mark.failing(false);
                    }
                } catch (SQLException | RuntimeException e) {
                    if (failure == null) {
                        Logger.error("writing {} failed; delivery goes on, state is kept in memory: {}", file, e.getMessage());
                        failedSince = clock.instant();
                    }
                    failure = "writing " + file + " failed: " + e.getMessage();
                    mark.failing(true);
                    realClock.parkUntil(realClock.nanos() + RETRY.toNanos());
                    continue;
                }
            }
            if (running && !hasWork()) {
                realClock.parkUntil(nextHeartbeat);
            }
        }
    }

    private boolean hasWork() {
        return mark.pending() >= 0 || !pending.isEmpty() || written < handed.get();
    }

    /** One transaction, one fsync: the mark, the journal, alarms, outbox, the state and the heartbeat together. */
    private void write() throws SQLException {
        long target = handed.get();
        long pendingMark = mark.pending();
        Map<String, Long> seqs;
        PendingWrites.Batch b;
        synchronized (topicSeqs) { // no half of an atomically() in this batch, and no message numbered beyond the snapshot
            seqs = Map.copyOf(topicSeqs);
            b = pending.drain();
        }
        try {
            Tables.transaction(connection, () -> writeBatch(b, pendingMark, b.outbox().isEmpty() && b.lostOutbox() == 0 ? Map.of() : seqs));
        } catch (SQLException | RuntimeException e) {
            pending.failed(b);
            throw e;
        }
        if (pendingMark >= 0) {
            mark.durable(pendingMark);
        }
        written = Math.max(written, target);
        if (!b.outbox().isEmpty()) {
            outboxWritten.run();
        }
    }

    private void writeBatch(PendingWrites.Batch b, long pendingMark, Map<String, Long> seqs) throws SQLException {
        if (b.lost() > 0) {
            Tables.insertJournal(connection, new TherapyEvent("journal-gap", clock.instant(), clock.nanos(), "pump",
                    Map.of("lostEvents", b.lostEvents(), "lostAlarmUpdates", b.lostAlarms(), "lostTelemetry", b.lostOutbox(),
                            "why", "a queue to the disk overflowed while storage was failing")));
        }
        for (TherapyEvent e : b.journal()) {
            Tables.insertJournal(connection, e);
        }
        for (AlarmRecord a : b.alarms()) {
            Tables.saveAlarm(connection, a);
        }
        for (OutboxMessage m : b.outbox()) {
            Tables.insertOutbox(connection, m);
        }
        for (Map.Entry<String, Long> e : seqs.entrySet()) {
            Tables.saveTopicSeq(connection, e.getKey(), e.getValue());
        }
        if (b.sentThrough() >= 0) {
            Tables.deleteOutboxThrough(connection, b.sentThrough());
        }
        if (b.risk().isPresent()) {
            Tables.saveRisk(connection, b.risk().get());
        }
        if (b.state().isPresent()) {
            Tables.saveState(connection, clock.instant(), b.state().get());
        }
        // Real time first: a simulated restart continues from heartbeat + real downtime x speed, and
        // must not start before anything this run journaled (reading the pump's clock second errs late, never early).
        Instant real = realClock.instant();
        Tables.saveMark(connection, new DeliveryMark(Math.max(pendingMark, mark.durable()), clock.instant(), real));
        // A table is trimmed by the writes that grew it, not by every write: most carry only the state
        // and the mark, and a trim reads its table (the alarms' one reads every cleared alarm).
        if (b.lost() > 0 || !b.journal().isEmpty()) {
            Tables.trimJournal(connection, JOURNAL_ROW_LIMIT);
        }
        if (!b.alarms().isEmpty()) {
            Tables.trimAlarms(connection, CLEARED_ALARM_LIMIT);
        }
        int dropped = b.outbox().isEmpty() ? 0 : Tables.trimOutbox(connection, OUTBOX_ROW_LIMIT);
        if (dropped > 0) {
            Tables.insertJournal(connection, new TherapyEvent("telemetry-dropped", clock.instant(), clock.nanos(), "pump",
                    Map.of("messages", dropped, "why", "the outbox held more than " + OUTBOX_ROW_LIMIT + " unsent messages")));
        }
    }

    /** Stops the writer after a last attempt to write everything, and closes the database. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            write();
        } catch (SQLException | RuntimeException e) {
            Logger.error("the last write to {} failed: {}", file, e.getMessage());
        }
        mark.failing(true); // nothing waits on a closed store
        close(connection);
    }

    // ------------------------------------------------------------------ opening

    private static void check(Connection c) throws SQLException, StoreException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            String result = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(result)) {
                throw new StoreException(StoreException.Kind.UNREADABLE, "integrity check failed: " + result);
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                throw new StoreException(StoreException.Kind.UNAVAILABLE, "the database could not be put in WAL mode (a read-only directory?)");
            }
        }
    }

    private static Optional<Recovered> read(Connection c) throws SQLException {
        Optional<DurableState> state = Tables.state(c);
        List<AlarmRecord> alarms = Tables.activeAlarms(c);
        Optional<RiskRecord> risk = Tables.risk(c);
        return Tables.mark(c).map(m -> new Recovered(state, m, alarms, risk));
    }

    /** A file that is not a database or is damaged is UNREADABLE; anything else (permissions, I/O, locks) UNAVAILABLE. */
    private static StoreException.Kind kindOf(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT
                    || code.name().startsWith("SQLITE_CORRUPT_")) {
                return StoreException.Kind.UNREADABLE;
            }
        }
        return StoreException.Kind.UNAVAILABLE;
    }

    private static Connection readOnly(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            Logger.debug("closing the database: {}", e.getMessage());
        }
    }
}
