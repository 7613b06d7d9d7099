package org.openitb.store;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openitb.clock.Clock;
import org.openitb.delivery.DeliveredBatch;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DurableState;
import org.openitb.delivery.StateRecorder;
import org.openitb.delivery.TherapyEvent;
import org.sqlite.SQLiteConfig;
import org.tinylog.Logger;

/**
 * The pump's memory in SQLite (WAL, synchronous=FULL) under the state directory: the durable
 * state, the write-ahead delivery mark with a heartbeat, and the journal. One writer thread owns
 * the connection; the dose loop only hands it work (and waits, rarely, for the write-ahead mark).
 * A failing disk never stops delivery: work is kept in memory (bounded), the failure is reported,
 * and writing resumes when it can.
 */
public final class PumpStore implements DeliverySink, StateRecorder, Consumer<TherapyEvent>, AutoCloseable {

    public static final String FILE = "openitb.db";
    /** Journal events waiting for the disk at most; beyond, they are counted as lost and that is journaled. */
    public static final int JOURNAL_QUEUE_LIMIT = 10_000;
    /** Journal rows kept at most; the oldest go first. */
    public static final int JOURNAL_ROW_LIMIT = 200_000;
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final Gson GSON = new Gson();

    /** What the last run left: its state, how far its write-ahead mark went, and its last heartbeat (pump clock, real clock). */
    public record Recovered(Optional<DurableState> state, long markMicrosteps, Instant heartbeat, Instant heartbeatReal) {
    }

    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final Clock realClock;
    private final Optional<Recovered> recovered;
    private final WriteAheadMark mark;
    private final ArrayBlockingQueue<TherapyEvent> journal = new ArrayBlockingQueue<>(JOURNAL_QUEUE_LIMIT);
    private final List<TherapyEvent> unwritten = new ArrayList<>();
    private final AtomicReference<DurableState> latest = new AtomicReference<>();
    private final AtomicLong lost = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile String failure;

    private PumpStore(Path file, Connection connection, Clock clock, Clock realClock, Optional<Recovered> recovered) {
        this.file = file;
        this.connection = connection;
        this.clock = clock;
        this.realClock = realClock;
        this.recovered = recovered;
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::writeLoop);
        this.mark = new WriteAheadMark(startMicrosteps(recovered), () -> LockSupport.unpark(writer));
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
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            check(c);
            Schema.migrate(c);
            PumpStore store = new PumpStore(file, c, clock, realClock, read(c));
            store.writer.start();
            return store;
        } catch (SQLException | RuntimeException e) {
            close(c);
            boolean unreadable = e instanceof RuntimeException || e.getMessage() != null
                    && (e.getMessage().contains("SQLITE_NOTADB") || e.getMessage().contains("SQLITE_CORRUPT"));
            throw new StoreException(unreadable ? StoreException.Kind.UNREADABLE : StoreException.Kind.UNAVAILABLE,
                    file + " is not a usable database: " + e.getMessage(), e);
        } catch (StoreException e) {
            close(c);
            throw e;
        }
    }

    /** The heartbeat a database in {@code stateDir} holds, without opening it for writing: (pump clock, real clock). */
    public static Optional<Instant[]> lastHeartbeat(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT heartbeat_at, heartbeat_real FROM delivery_mark WHERE id = 1")) {
            return rs.next() ? Optional.of(new Instant[] {Instant.parse(rs.getString(1)), Instant.parse(rs.getString(2))}) : Optional.empty();
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

    /** Microsteps to count as delivered at start: the write-ahead mark, never less than the state's own count. */
    public long startMicrosteps() {
        return startMicrosteps(recovered);
    }

    // ------------------------------------------------------------------ from the dose loop

    @Override
    public void beforeStep(long microstep) {
        mark.beforeStep(microstep);
    }

    @Override
    public void delivered(DeliveredBatch batch) {
        // The counters travel in the state snapshots; a batch needs nothing of its own here.
    }

    @Override
    public void record(DurableState state) {
        latest.set(Objects.requireNonNull(state, "state"));
        LockSupport.unpark(writer);
    }

    /** Journals {@code event}; if the queue is full (the disk has been failing for long) it is counted as lost. */
    @Override
    public void accept(TherapyEvent event) {
        if (!journal.offer(event)) {
            lost.incrementAndGet();
        }
        LockSupport.unpark(writer);
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    // ------------------------------------------------------------------ reading

    /** The last {@code limit} journal entries, oldest first, read on a connection of their own. */
    public List<JournalEntry> history(int limit) throws StoreException {
        List<JournalEntry> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                PreparedStatement s = c.prepareStatement(
                        "SELECT seq, at, type, who, details FROM (SELECT * FROM journal ORDER BY seq DESC LIMIT ?) ORDER BY seq")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEntry(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
                            GSON.fromJson(rs.getString(5), JsonObject.class)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot read the journal in " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    // ------------------------------------------------------------------ the writer

    private void writeLoop() {
        long nextHeartbeat = realClock.nanos();
        while (running) {
            long now = realClock.nanos();
            boolean heartbeat = now - nextHeartbeat >= 0;
            boolean work = mark.pending() >= 0 || latest.get() != null || !journal.isEmpty() || !unwritten.isEmpty();
            if (work || heartbeat) {
                try {
                    write();
                    nextHeartbeat = realClock.nanos() + HEARTBEAT.toNanos();
                    if (failure != null) {
                        Logger.info("writing {} works again", file);
                        failure = null;
                        mark.failing(false);
                    }
                } catch (SQLException | RuntimeException e) {
                    if (failure == null) {
                        Logger.error("writing {} failed; delivery goes on, state is kept in memory: {}", file, e.getMessage());
                    }
                    failure = "writing " + file + " failed: " + e.getMessage();
                    mark.failing(true);
                    rollback();
                    realClock.parkUntil(realClock.nanos() + RETRY.toNanos());
                    continue;
                }
            }
            if (running && mark.pending() < 0 && latest.get() == null && journal.isEmpty()) {
                realClock.parkUntil(nextHeartbeat);
            }
        }
    }

    /** One transaction, one fsync: the mark, the journal, the state and the heartbeat together. */
    private void write() throws SQLException {
        long pendingMark = mark.pending();
        journal.drainTo(unwritten);
        DurableState state = latest.getAndSet(null);
        connection.setAutoCommit(false);
        long lostNow = lost.getAndSet(0);
        try {
            if (lostNow > 0) {
                insert(new TherapyEvent("journal-gap", clock.instant(), clock.nanos(), "pump",
                        java.util.Map.of("lostEvents", lostNow, "why", "the journal queue overflowed while storage was failing")));
            }
            for (TherapyEvent e : unwritten) {
                insert(e);
            }
            if (state != null) {
                try (PreparedStatement s = connection.prepareStatement(
                        "INSERT INTO state (id, saved_at, body) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body")) {
                    s.setString(1, clock.instant().toString());
                    s.setString(2, StateCodec.write(state));
                    s.executeUpdate();
                }
            }
            long markNow = Math.max(pendingMark, mark.durable());
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT INTO delivery_mark (id, microsteps, heartbeat_at, heartbeat_real) VALUES (1, ?, ?, ?)"
                            + " ON CONFLICT(id) DO UPDATE SET microsteps = excluded.microsteps, heartbeat_at = excluded.heartbeat_at,"
                            + " heartbeat_real = excluded.heartbeat_real")) {
                s.setLong(1, markNow);
                s.setString(2, clock.instant().toString());
                s.setString(3, realClock.instant().toString());
                s.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            if (state != null) {
                latest.compareAndSet(null, state); // keep it for the next attempt unless a newer one came
            }
            lost.addAndGet(lostNow);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        unwritten.clear();
        if (pendingMark >= 0) {
            mark.durable(pendingMark);
        }
        trimJournal();
    }

    private void insert(TherapyEvent e) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO journal (at, type, who, details) VALUES (?, ?, ?, ?)")) {
            s.setString(1, e.at().toString());
            s.setString(2, e.type());
            s.setString(3, e.who());
            s.setString(4, GSON.toJson(e.details()));
            s.executeUpdate();
        }
    }

    private void trimJournal() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - " + JOURNAL_ROW_LIMIT);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            Logger.debug("rollback after a failed write: {}", e.getMessage());
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
        Optional<DurableState> state = Optional.empty();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM state WHERE id = 1")) {
            if (rs.next()) {
                state = Optional.of(StateCodec.read(rs.getString(1)));
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT microsteps, heartbeat_at, heartbeat_real FROM delivery_mark WHERE id = 1")) {
            if (rs.next()) {
                return Optional.of(new Recovered(state, rs.getLong(1), Instant.parse(rs.getString(2)), Instant.parse(rs.getString(3))));
            }
        }
        return Optional.empty();
    }

    private static long startMicrosteps(Optional<Recovered> recovered) {
        return recovered.map(r -> Math.max(r.markMicrosteps(), r.state().map(DurableState::deliveredMicrosteps).orElse(0L))).orElse(0L);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            Logger.debug("closing the database: {}", e.getMessage());
        }
    }
}
