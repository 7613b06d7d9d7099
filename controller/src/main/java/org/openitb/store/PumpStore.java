package org.openitb.store;

import java.io.IOException;
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
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.openitb.alarm.AlarmRecord;
import org.openitb.alarm.RiskRecord;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.openitb.delivery.DeliveredBatch;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DurableState;
import org.openitb.delivery.StateRecorder;
import org.openitb.delivery.WriteAheadHealth;
import org.openitb.journal.JournalEntry;
import org.openitb.journal.TherapyEvent;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.tinylog.Logger;

/**
 * The pump's memory in SQLite (WAL, synchronous=FULL) under the state directory: the durable state (program, reservoir,
 * counters), the write-ahead delivery mark with a heartbeat, the journal, alarm state, the telemetry outbox and the
 * samples reports draw. One writer thread owns the connection; the dose loop only hands it work and never waits for it. The write-ahead mark has
 * a lane of its own ({@link MarkLane}), so it is never queued behind the rest.
 * A failing disk never stops delivery: work is kept in memory (bounded), the failure is reported,
 * and writing resumes when it can.
 */
public final class PumpStore implements DeliverySink, StateRecorder, Consumer<TherapyEvent>, Outbox, AutoCloseable {

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
    /** The write-ahead bound of a store opened without options, microsteps. */
    public static final long DEFAULT_BOUND_MICROSTEPS = 64;
    /** The least the mark reserves ahead in time (pump clock), so a slow rate does not cost a commit per step. */
    static final long MIN_RESERVE_NANOS = 1_000_000_000L;
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration RETRY = Duration.ofSeconds(2);

    /**
     * How the store is run.
     *
     * @param boundMicrosteps the most the write-ahead mark may reserve ahead of the steps emitted
     *                        ({@code store.max-crash-uncertainty} in microsteps), at least 1
     * @param speed           pump-clock time per real time (a simulation's speed; 1 for real time)
     * @param latency         extra commit time injected per lane (a slow disk played on a fast one)
     * @param markWaitNanos   how long (real time) a step may wait for the mark to cover it: 0 for a pump on real
     *                        time (a step never waits for the disk); under a simulation whose clock waits for the
     *                        loop, a bounded wait costs simulated time nothing and keeps the record honest
     */
    public record Options(long boundMicrosteps, long speed, CommitLatency.Profile latency, long markWaitNanos) {
        public static final Options DEFAULT = new Options(DEFAULT_BOUND_MICROSTEPS, 1, lane -> CommitLatency.NONE, 0);
        /** The longest a step waits for its mark under a simulation, real time. */
        public static final long SIMULATED_MARK_WAIT_NANOS = 2_000_000_000L;

        public Options {
            if (boundMicrosteps < 1 || speed < 1 || markWaitNanos < 0 || markWaitNanos > 10_000_000_000L) {
                throw new IllegalArgumentException("bound and speed must be at least 1 and a mark wait within 0..10 s, got " + boundMicrosteps
                        + ", " + speed + " and " + markWaitNanos + " ns");
            }
            Objects.requireNonNull(latency, "latency");
        }
    }

    /**
     * What the last run left: its state, how far its write-ahead mark went, its last heartbeat
     * (pump clock, real clock), the alarms it had not cleared, and the most steps it ever emitted
     * beyond its mark at once (a disk too slow for the bound).
     */
    public record Recovered(Optional<DurableState> state, DeliveryMark mark, List<AlarmRecord> alarms, Optional<RiskRecord> risk,
            long uncoveredPeak, long laneConfirmed) {
        public Recovered {
            alarms = List.copyOf(alarms);
            Objects.requireNonNull(risk, "risk");
        }

        /**
         * Microsteps to count as delivered at start, on the safe side for the reservoir and the 24 h
         * limits: the write-ahead mark (never less than the state's own count), plus the most that
         * ever went out beyond it at once, since the crash may have come during such a stretch.
         */
        public long startMicrosteps() {
            return Math.max(mark.microsteps(), stateMicrosteps()) + uncoveredPeak;
        }

        /**
         * Microsteps known to have gone out (the state's count, or the mark lane's, whichever is
         * newer): the withdrawal estimate's side, where uncertain steps are not delivered.
         */
        public long confirmedMicrosteps() {
            long recorded = stateMicrosteps();
            return Math.min(Math.max(laneConfirmed, recorded), Math.max(mark.microsteps(), recorded));
        }

        /** The state's own count of microsteps delivered (0 without a state). */
        private long stateMicrosteps() {
            return state.map(DurableState::deliveredMicrosteps).orElse(0L);
        }

        /** Microsteps that may or may not have gone out: counted as delivered at start, not known to be. */
        public long uncertainMicrosteps() {
            return startMicrosteps() - confirmedMicrosteps();
        }
    }

    private final Path file;
    private final Connection connection;
    private final Clock clock;
    private final Clock realClock;
    private final Optional<Recovered> recovered;
    private final WriteAheadMark mark;
    private final MarkLane lane;
    private final Options options;
    private final CommitLatency latency;
    /** Whether a simulation runs the commits ({@link #driven()}) instead of the writer and lane threads. */
    private final boolean driven;
    /** Driven: the next database commit fails as a failing disk's would. */
    private boolean failNextWrite;
    private final PendingWrites pending = new PendingWrites();
    /** The writer's thread (started unless driven). */
    private final LoopThread writer;
    /** When the idle writer commits again (real monotonic ns); writer thread only. */
    private long nextHeartbeatNanos;
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
            Map<String, Long> topicSeqs, Options options, long laneSeq, boolean driven) throws IOException {
        this.file = file;
        this.topicSeqs = new HashMap<>(topicSeqs);
        this.connection = connection;
        this.clock = clock;
        this.realClock = realClock;
        this.recovered = recovered;
        this.writer = LoopThread.create("store-writer", realClock, Thread.NORM_PRIORITY, this::writePass, e -> {
            failure = "the store's writer stopped: " + e; // said in status and by STORAGE_FAILURE; nothing more is written
            Logger.error(e, "the store's writer stopped; nothing more reaches {}", file);
        });
        this.nextHeartbeatNanos = realClock.nanos(); // a first commit at once
        this.options = options;
        this.driven = driven;
        this.latency = options.latency().lane(0);
        MarkLane[] started = new MarkLane[1];
        this.mark = new WriteAheadMark(recovered.map(Recovered::startMicrosteps).orElse(0L), options.boundMicrosteps(), () -> {
            started[0].wake();
            if (started[0].failure().isPresent()) {
                writer.wake(); // the database carries the mark while the lane cannot
            }
        }, realClock, options.markWaitNanos());
        started[0] = driven ? MarkLane.driven(file.getParent(), laneSeq, mark, clock)
                : MarkLane.start(file.getParent(), laneSeq, mark, clock, realClock, options.latency().lane(1));
        this.lane = started[0];
    }

    /**
     * Opens (or creates) the database in {@code stateDir}, checks its integrity, migrates it and
     * reads what the last run left. Heartbeats carry both the pump's clock and the real one.
     *
     * @throws StoreException if the file cannot be opened, fails its integrity check or comes from a newer schema
     */
    public static PumpStore open(Path stateDir, Clock clock, Clock realClock) throws StoreException {
        return open(stateDir, clock, realClock, Options.DEFAULT);
    }

    /** As {@link #open(Path, Clock, Clock)}, run as {@code options} say. */
    public static PumpStore open(Path stateDir, Clock clock, Clock realClock, Options options) throws StoreException {
        return open(stateDir, clock, realClock, options, false);
    }

    /**
     * As {@link #open(Path, Clock, Clock)} on a simulation's clock, with no threads of its own: a
     * simulated disk runs every commit through {@link #driven()}, on simulated time. A step never
     * waits for its mark.
     */
    public static PumpStore openDriven(Path stateDir, Clock clock, long boundMicrosteps) throws StoreException {
        return open(stateDir, clock, clock, new Options(boundMicrosteps, 1, lane -> CommitLatency.NONE, 0), true);
    }

    private static PumpStore open(Path stateDir, Clock clock, Clock realClock, Options options, boolean driven) throws StoreException {
        Path file = stateDir.resolve(FILE);
        Connection c;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // Driven, a power cut is the simulated disk's to play; the host's page cache is its disk, so no fsync is waited for.
            config.setSynchronous(driven ? SQLiteConfig.SynchronousMode.OFF : SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(5_000);
            c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw new StoreException(kindOf(e), "cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            check(c);
            Schema.migrate(c);
            Optional<MarkLane.Record> laneRecord = MarkLane.read(stateDir);
            PumpStore store = new PumpStore(file, c, clock, realClock, read(c, laneRecord), Tables.topicSeqs(c), options,
                    laneRecord.map(MarkLane.Record::seq).orElse(0L), driven);
            if (!driven) {
                store.writer.start();
            }
            return store;
        } catch (IOException e) {
            close(c);
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot open " + stateDir.resolve(MarkLane.FILE) + ": " + e.getMessage(), e);
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

    /** The delivery mark {@code stateDir} holds (database and mark lane together), read without opening it for writing. */
    public static Optional<DeliveryMark> lastMark(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        Optional<DeliveryMark> db = Optional.empty();
        if (Files.isRegularFile(file)) {
            try (Connection c = readOnly(file)) {
                db = Tables.mark(c);
            } catch (SQLException | RuntimeException e) {
                db = Optional.empty();
            }
        }
        return merge(db, MarkLane.read(stateDir));
    }

    /** The files a state directory keeps besides the database's own ({@code -wal}, {@code -shm}): set aside with it. */
    public static List<String> companionFiles() {
        return List.of(MarkLane.FILE);
    }

    /** The higher mark of the two lanes, with the later heartbeat (each is written now and then by one of them). */
    private static Optional<DeliveryMark> merge(Optional<DeliveryMark> db, Optional<MarkLane.Record> lane) {
        if (lane.isEmpty()) {
            return db;
        }
        MarkLane.Record l = lane.get();
        DeliveryMark fromLane = new DeliveryMark(l.mark(), l.heartbeat(), l.heartbeatReal());
        if (db.isEmpty()) {
            return Optional.of(fromLane);
        }
        DeliveryMark d = db.get();
        DeliveryMark later = l.heartbeat().isAfter(d.heartbeat()) ? fromLane : d;
        return Optional.of(new DeliveryMark(Math.max(d.microsteps(), l.mark()), later.heartbeat(), later.heartbeatReal()));
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
    public void beforeStep(long microstep, long horizon, long renewBy) {
        mark.beforeStep(microstep, horizon, renewBy);
    }

    /** One and a half of the slowest recent commits of the mark, pump clock. */
    @Override
    public long renewAheadNanos() {
        return scaledLatencyTimesThree() / 2;
    }

    @Override
    public void delivered(DeliveredBatch batch) {
        // The counters travel in the state snapshots; a batch needs nothing of its own here.
    }

    /** Three times the slowest recent commit of the mark (pump clock), at least {@link #MIN_RESERVE_NANOS}. */
    @Override
    public long reserveAheadNanos() {
        return Math.max(MIN_RESERVE_NANOS, scaledLatencyTimesThree());
    }

    /** Three of the slowest recent commits of the mark, pump clock. */
    private long scaledLatencyTimesThree() {
        long real = mark.latencyNanos();
        return real > Long.MAX_VALUE / 3 / options.speed() ? Long.MAX_VALUE / 4 : 3 * real * options.speed();
    }

    @Override
    public void reserve(long through) {
        mark.reserve(through);
    }

    @Override
    public WriteAheadHealth writeAhead() {
        return mark.health();
    }

    @Override
    public void record(DurableState state) {
        pending.state(state);
        writer.wake();
    }

    /** Journals {@code event}; if the queue is full (the disk has been failing for long) it is counted as lost. */
    @Override
    public void accept(TherapyEvent event) {
        pending.journal(event);
        writer.wake();
    }

    /** Keeps the latest withdrawal-risk amounts (only the newest handed over is written). */
    public void saveRisk(RiskRecord risk) {
        pending.risk(risk);
        writer.wake();
    }

    /** Keeps {@code sample} for reports; one the queue has no room for is dropped, and nothing waits for it. */
    public void sample(Sample sample) {
        pending.sample(sample);
        writer.wake();
    }

    /** Keeps {@code alarm} (replacing the record with its id); if the queue is full the update is counted as lost. */
    public void saveAlarm(AlarmRecord alarm) {
        pending.alarm(alarm);
        writer.wake();
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
        writer.wake();
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
        writer.wake();
    }

    /** Called on the writer thread after messages reach the outbox on disk, for the publisher to send them; must not block. */
    @Override
    public void onOutboxWritten(Runnable listener) {
        this.outboxWritten = Objects.requireNonNull(listener, "listener");
    }

    /** The broker has every message up to {@code seq}: they leave the outbox. */
    @Override
    public void sent(long seq) {
        pending.sent(seq);
        writer.wake();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure).or(lane::failure);
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
        if (driven) {
            return attempt(); // an orderly stop: the simulated disk takes it now
        }
        long target = handed.incrementAndGet();
        writer.wake();
        long deadline = realClock.nanos() + timeout.toNanos();
        while (written < target) {
            if (realClock.nanos() - deadline >= 0 || !writer.alive()) {
                return false;
            }
            realClock.parkUntil(Math.min(deadline, realClock.nanos() + 1_000_000));
        }
        return true;
    }

    // ------------------------------------------------------------------ the writer

    /** One pass of the writer: commit what waits (or a heartbeat), and say when to look again. */
    private long writePass(long now) {
        if (hasWork() || now - nextHeartbeatNanos >= 0) {
            if (!attempt()) {
                return realClock.nanos() + RETRY.toNanos();
            }
            nextHeartbeatNanos = realClock.nanos() + HEARTBEAT.toNanos();
        }
        return hasWork() ? realClock.nanos() : nextHeartbeatNanos;
    }

    /** One commit of everything waiting; a failure is kept (and logged once) for the alarm, and the batch waits for the next. */
    private boolean attempt() {
        try {
            write();
            if (failure != null) {
                Logger.info("writing {} works again", file);
                // Journaled once the disk takes writes again, so the history shows the stretch it missed.
                pending.journal(new TherapyEvent("storage-recovered", clock.instant(), clock.nanos(), "pump",
                        Map.of("failedSince", failedSince.toString(), "error", failure)));
                failure = null;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (failure == null) {
                Logger.error("writing {} failed; delivery goes on, state is kept in memory: {}", file, e.getMessage());
                failedSince = clock.instant();
            }
            failure = "writing " + file + " failed: " + e.getMessage();
            return false;
        }
    }

    boolean hasWork() {
        return !pending.isEmpty() || written < handed.get() || (lane.failure().isPresent() && mark.pending() >= 0);
    }

    /**
     * One transaction, one fsync: the journal, alarms, outbox, the state and the heartbeat together,
     * with the mark as its own lane last made it durable (the lane does not wait for this).
     */
    private void write() throws SQLException {
        long target = handed.get();
        // While the lane cannot write (its file fails), this commit carries the mark the dose loop asks for,
        // and the most steps that went out beyond a durable mark at once (the lane's record would have):
        // recovery takes the higher of the two lanes' marks, so a crash then still books every step emitted.
        boolean carryMark = lane.failure().isPresent();
        long pendingMark = carryMark ? Math.max(mark.durable(), mark.pending()) : mark.durable();
        long savedMark = carryMark ? pendingMark + mark.uncoveredPeak() : pendingMark;
        latency.play(realClock);
        Map<String, Long> seqs;
        PendingWrites.Batch b;
        synchronized (topicSeqs) { // no half of an atomically() in this batch, and no message numbered beyond the snapshot
            seqs = Map.copyOf(topicSeqs);
            b = pending.drain();
        }
        try {
            boolean fail = failNextWrite;
            failNextWrite = false;
            Tables.transaction(connection, () -> {
                if (fail) {
                    throw new SQLException("disk I/O error (simulated)");
                }
                writeBatch(b, savedMark, b.outbox().isEmpty() && b.lostOutbox() == 0 ? Map.of() : seqs);
            });
        } catch (SQLException | RuntimeException e) {
            pending.failed(b);
            throw e;
        }
        if (carryMark) {
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
        SampleTable.insert(connection, b.samples(), Sample.ROW_LIMIT);
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
        Tables.saveMark(connection, new DeliveryMark(pendingMark, clock.instant(), real));
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
        writer.close();
        lane.close(); // first: the database's last write carries the lane's last mark
        try {
            write();
        } catch (SQLException | RuntimeException e) {
            Logger.error("the last write to {} failed: {}", file, e.getMessage());
        }
        close(connection);
    }

    // ------------------------------------------------------------------ driven by a simulation

    /** The commits of a store opened with {@link #openDriven}, for the simulated disk to run. */
    public DrivenStore driven() {
        if (!driven) {
            throw new IllegalStateException("this store runs its own commits");
        }
        return new DrivenStore(this, lane);
    }

    /** Driven: one database commit, failing as a failing disk's if {@code fail}; whether it was taken. */
    boolean commitDriven(boolean fail) {
        failNextWrite = fail;
        return attempt();
    }

    /** Driven: the power goes. Nothing more is written: what waited is lost, and the files stay as they are. */
    void cut() throws IOException {
        writer.close(); // driven, it never started: nothing to wait for
        try {
            lane.abandon();
        } finally {
            close(connection);
        }
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

    private static Optional<Recovered> read(Connection c, Optional<MarkLane.Record> lane) throws SQLException {
        Optional<DurableState> state = Tables.state(c);
        List<AlarmRecord> alarms = Tables.activeAlarms(c);
        Optional<RiskRecord> risk = Tables.risk(c);
        long peak = lane.map(MarkLane.Record::uncoveredPeak).orElse(0L);
        long confirmed = lane.map(MarkLane.Record::confirmed).orElse(0L);
        return merge(Tables.mark(c), lane).map(m -> new Recovered(state, m, alarms, risk, peak, confirmed));
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

    static Connection readOnly(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
    }

    static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            Logger.debug("closing the database: {}", e.getMessage());
        }
    }
}
