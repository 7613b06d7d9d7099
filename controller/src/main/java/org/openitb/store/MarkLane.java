package org.openitb.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.openitb.clock.Clock;
import org.openitb.clock.LoopThread;
import org.tinylog.Logger;

/**
 * The write-ahead mark's own lane: a thread and a small file ({@value #FILE}) of its own, so a
 * mark is never queued behind the journal, the outbox or the state in SQLite. The file holds two
 * checksummed slots written in turn, each commit forced to the disk: a write torn by a power cut
 * leaves the other slot, the mark before it (which no step went out on). It tracks how long its
 * commits take, for the mark to reserve far enough ahead. A simulation may run it without its
 * thread ({@link #driven}), deciding itself when each commit lands on simulated time.
 */
final class MarkLane implements AutoCloseable {

    static final String FILE = "delivery.mark";
    /** Slots sit a disk block apart, so one torn write cannot damage both. */
    private static final int SLOT_BYTES = 4096;
    private static final int RECORD_BYTES = 72;
    private static final int MAGIC = 0x4F49544D; // "OITM"
    private static final int VERSION = 2;
    /** Commits whose latency the reservation covers: the slowest of the last this many. */
    static final int LATENCY_WINDOW = 32;
    /** Heartbeat while nothing moves, so the lane's record stays as fresh as the database's. */
    private static final long IDLE_NANOS = 10_000_000_000L;
    private static final long RETRY_NANOS = 2_000_000_000L;

    /**
     * One slot's content: the mark; the steps known to have gone out when it was written (the step
     * before the last one cleared); the most that ever went out beyond the mark at once; the heartbeats.
     */
    record Record(long seq, long mark, long confirmed, long uncoveredPeak, Instant heartbeat, Instant heartbeatReal) {
    }

    private final Path file;
    /** Null until the file opens: a lane whose file cannot be opened keeps trying, and fails its commits meanwhile. */
    private FileChannel channel;
    private final WriteAheadMark mark;
    private final Clock clock;
    private final Clock realClock;
    private final CommitLatency latency;
    /** The lane's own thread; null when a simulation drives the commits. */
    private final LoopThread loop;
    /** When the idle lane commits again to show it is alive (real monotonic ns); the loop's own. */
    private long nextHeartbeatNanos;
    private final long[] latencies = new long[LATENCY_WINDOW];
    private int latencyCount;
    private long seq;
    private volatile String failure;

    private MarkLane(Path file, FileChannel channel, long seq, WriteAheadMark mark, Clock clock, Clock realClock, CommitLatency latency,
            boolean threaded) {
        this.file = file;
        this.channel = channel;
        this.seq = seq;
        this.mark = mark;
        this.clock = clock;
        this.realClock = realClock;
        this.latency = latency;
        // Above the store's writer: a mark that lands late is a step uncovered.
        this.loop = threaded ? LoopThread.create("mark-writer", realClock, Thread.MAX_PRIORITY, this::pass,
                e -> failed("the lane's thread ended: " + e)) : null; // the store then carries the mark
        this.nextHeartbeatNanos = realClock.nanos(); // a first commit at once: its latency is known before the first fast step
    }

    /**
     * Opens (or creates) the lane's file in {@code dir}, continuing its sequence, and starts the lane for
     * {@code mark}. A file that cannot be opened does not stop the pump: the lane starts failing (the
     * database carries the mark meanwhile, {@link #failure()}) and opens it at its next commit that can.
     */
    static MarkLane start(Path dir, long nextSeq, WriteAheadMark mark, Clock clock, Clock realClock, CommitLatency latency) {
        FileChannel channel = null;
        String why = null;
        try {
            channel = open(dir);
        } catch (IOException e) {
            why = "cannot open it: " + e;
        }
        MarkLane lane = new MarkLane(dir.resolve(FILE), channel, nextSeq, mark, clock, realClock, latency, true);
        if (why != null) {
            lane.failed(why);
        }
        lane.loop.start();
        return lane;
    }

    /**
     * Opens the lane's file as {@link #start} does, without a thread: the caller runs each commit
     * ({@link #begin}, then {@link #land}, {@link #fail} or a power cut) on simulated time.
     */
    static MarkLane driven(Path dir, long nextSeq, WriteAheadMark mark, Clock clock) throws IOException {
        return new MarkLane(dir.resolve(FILE), open(dir), nextSeq, mark, clock, clock, CommitLatency.NONE, false);
    }

    private static FileChannel open(Path dir) throws IOException {
        return FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** The newest intact record in {@code dir}'s lane file, if there is one. */
    static Optional<Record> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<Record> best = Optional.empty();
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer b = ByteBuffer.allocate(RECORD_BYTES);
                c.read(b, (long) slot * SLOT_BYTES);
                Optional<Record> r = decode(b.flip());
                if (r.isPresent() && (best.isEmpty() || r.get().seq() > best.get().seq())) {
                    best = r;
                }
            }
            return best;
        } catch (IOException e) {
            Logger.warn("cannot read {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Why the lane cannot write, if it cannot. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Wakes the lane: a higher mark is wanted. Never blocks. */
    void wake() {
        if (loop != null) {
            loop.wake();
        }
    }

    // ------------------------------------------------------------------ driven by a simulation

    /** Driven: whether the dose loop wants a higher mark than the durable one. */
    boolean wanted() {
        return mark.pending() >= 0;
    }

    /** Driven: the mark on disk. */
    long durable() {
        return mark.durable();
    }

    /** Driven: the mark a commit starting now writes (what is wanted, or the durable one again for a heartbeat). */
    long begin() {
        return Math.max(mark.pending(), mark.durable());
    }

    /** Driven: the commit of {@code value} begun earlier lands now, having taken {@code latencyNanos} (pump clock). */
    void land(long value, long latencyNanos) throws IOException {
        write(value, false);
        observe(latencyNanos);
        landed(value);
    }

    /** Driven: the commit begun earlier failed with {@code why}; the mark stays where it was. */
    void fail(String why) {
        failed(why);
    }

    /** A commit of {@code value} is on the disk: the mark moves up, and a failure before it is over. */
    private void landed(long value) {
        mark.durable(value);
        if (failure != null) {
            Logger.info("writing {} works again", file);
            failure = null;
        }
    }

    /** A commit failed: said once in the log, and kept for {@link #failure()} until one lands. */
    private void failed(String why) {
        if (failure == null) {
            Logger.error("writing the delivery mark to {} failed; delivery goes on, the database carrying the mark meanwhile: {}", file, why);
        }
        failure = "writing the delivery mark to " + file + " failed: " + why;
    }

    /**
     * Driven: the power goes while the next record is being written: its slot keeps the start of
     * the new record and nothing after it (the checksum cannot match), and the lane writes no more.
     */
    void tear(long value) throws IOException {
        long s = seq + 1;
        ByteBuffer whole = encode(record(s, value, false));
        ByteBuffer torn = ByteBuffer.allocate(RECORD_BYTES);
        torn.put(whole.array(), 0, RECORD_BYTES / 2).flip();
        channel.write(torn, (s & 1) * SLOT_BYTES);
        abandon();
    }

    /** Driven: the power goes; the file stays as it is. */
    void abandon() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** One pass of the lane: commit what is asked (or a heartbeat), and say when to look again. */
    private long pass(long now) {
        long target = mark.pending();
        if (target < 0 && now - nextHeartbeatNanos < 0) {
            return nextHeartbeatNanos;
        }
        long writing = Math.max(target, mark.durable());
        try {
            commit(writing, false);
            landed(writing);
        } catch (IOException | RuntimeException e) {
            failed(e.getMessage());
            return realClock.nanos() + RETRY_NANOS;
        }
        nextHeartbeatNanos = realClock.nanos() + IDLE_NANOS;
        return realClock.nanos(); // at once: more may have been asked for while this one was written
    }

    /**
     * Writes {@code value}; with {@code closing} (the loops stopped), a mark that covers every step
     * emitted leaves nothing uncovered, so the record's uncovered peak is dropped.
     */
    private void commit(long value, boolean closing) throws IOException {
        long start = realClock.nanos();
        latency.play(realClock);
        write(value, closing);
        observe(realClock.nanos() - start);
    }

    private void write(long value, boolean closing) throws IOException {
        if (channel == null) {
            channel = open(file.getParent());
        }
        long s = ++seq;
        channel.write(encode(record(s, value, closing)), (s & 1) * SLOT_BYTES);
        if (loop != null) {
            channel.force(false); // driven, a power cut is the simulation's to play: the host's page cache is its disk
        }
    }

    /** The record numbered {@code s} for a mark of {@code value}, as things stand now. */
    private Record record(long s, long value, boolean closing) {
        long emitted = mark.emitted();
        long peak = closing && value >= emitted ? 0 : mark.uncoveredPeak();
        // Closing, the loop has stopped: the last step cleared went out. Running, it may be going out now.
        long confirmed = closing ? emitted : Math.max(0, emitted - 1);
        return new Record(s, value, confirmed, peak, clock.instant(), realClock.instant());
    }

    private void observe(long nanos) {
        latencies[latencyCount++ % LATENCY_WINDOW] = nanos;
        long max = 0;
        for (int i = 0; i < Math.min(latencyCount, LATENCY_WINDOW); i++) {
            max = Math.max(max, latencies[i]);
        }
        mark.latency(max);
    }

    static ByteBuffer encode(Record r) {
        ByteBuffer b = ByteBuffer.allocate(RECORD_BYTES);
        Instant heartbeat = r.heartbeat();
        Instant heartbeatReal = r.heartbeatReal();
        // Seconds and the nanoseconds within them: together the instant, to the nanosecond.
        b.putInt(MAGIC).putInt(VERSION).putLong(r.seq()).putLong(r.mark()).putLong(r.confirmed()).putLong(r.uncoveredPeak())
                .putLong(heartbeat.getEpochSecond()).putInt(heartbeat.getNano())
                .putLong(heartbeatReal.getEpochSecond()).putInt(heartbeatReal.getNano());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    static Optional<Record> decode(ByteBuffer b) {
        if (b.remaining() < 68) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 64);
        if (b.getInt(0) != MAGIC || b.getInt(4) != VERSION || b.getInt(64) != (int) crc.getValue()) {
            return Optional.empty();
        }
        long seq = b.getLong(8);
        long mark = b.getLong(16);
        long confirmed = b.getLong(24);
        long peak = b.getLong(32);
        Instant hb = Instant.ofEpochSecond(b.getLong(40), b.getInt(48));
        Instant real = Instant.ofEpochSecond(b.getLong(52), b.getInt(60));
        if (mark < 0 || peak < 0 || confirmed < 0) {
            return Optional.empty();
        }
        return Optional.of(new Record(seq, mark, confirmed, peak, hb, real));
    }

    /** Stops the lane after it has written the mark asked for last. */
    @Override
    public void close() {
        if (loop != null) {
            loop.close(); // it ends within one commit: the store closes after the loops have stopped
        }
        long target = Math.max(mark.pending(), mark.durable());
        // Tried even after failures: a disk that is back takes the last mark, and a crash before the
        // next start then books nothing beyond it (a stale record would book too little).
        try {
            commit(target, true);
            landed(target);
        } catch (IOException | RuntimeException e) {
            Logger.error("the last write to {} failed: {}", file, e.getMessage());
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            Logger.debug("closing {}: {}", file, e.getMessage());
        }
    }
}
