package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.clock.SystemClock;

/** The mark's own lane: two checksummed slots, the newest intact one wins, and its commits are timed. */
class MarkLaneTest {

    @TempDir
    Path dir;

    private final SystemClock real = new SystemClock(ZoneOffset.UTC);

    @Test
    void aRecordSurvivesTheTripThroughItsBytes() {
        MarkLane.Record r = new MarkLane.Record(7, 123_456, 123_300, 17, Instant.parse("2026-12-02T10:00:00.123456789Z"),
                Instant.parse("2026-12-02T10:00:01Z"));
        assertEquals(Optional.of(r), MarkLane.decode(MarkLane.encode(r)));
    }

    @Test
    void aTornSlotLeavesTheOtherOne() throws Exception {
        WriteAheadMark mark = new WriteAheadMark(0, 64, () -> { });
        MarkLane lane = MarkLane.start(dir, 0, mark, real, real, CommitLatency.NONE);
        mark.reserve(10);
        lane.wake();
        awaitDurable(mark, 10);
        mark.reserve(20);
        lane.wake();
        awaitDurable(mark, 20);
        lane.close();
        MarkLane.Record last = MarkLane.read(dir).orElseThrow();
        assertEquals(20, last.mark());
        // A power cut tears the slot the last commit went to: the one before it is what a restart reads.
        try (FileChannel c = FileChannel.open(dir.resolve(MarkLane.FILE), StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), (last.seq() & 1) * 4096 + 20);
            c.force(true);
        }
        MarkLane.Record before = MarkLane.read(dir).orElseThrow();
        assertEquals(last.seq() - 1, before.seq());
        assertTrue(before.mark() <= 20 && before.mark() >= 10, "the mark before the torn one: " + before.mark());
    }

    @Test
    void aSlowDiskIsMeasuredAndTheReservationReachesFurther() throws Exception {
        WriteAheadMark mark = new WriteAheadMark(0, 1_000, () -> { });
        MarkLane lane = MarkLane.start(dir, 0, mark, real, real, CommitLatency.fixed(Duration.ofMillis(50)));
        try {
            mark.reserve(5);
            lane.wake();
            awaitDurable(mark, 5);
            assertTrue(mark.latencyNanos() >= 50_000_000L, "the slowest recent commit: " + mark.latencyNanos() / 1e6 + " ms");
        } finally {
            lane.close();
        }
    }

    @Test
    void aCleanCloseThatCoversEveryStepRecordsNothingUncovered() throws Exception {
        WriteAheadMark mark = new WriteAheadMark(0, 64, () -> { });
        MarkLane lane = MarkLane.start(dir, 0, mark, real, real, CommitLatency.fixed(Duration.ofMillis(200)));
        for (long k = 1; k <= 50; k++) {
            mark.beforeStep(k, k + 10, k); // far faster than the lane: most go out uncovered
        }
        assertTrue(mark.uncoveredPeak() > 0);
        lane.close();
        MarkLane.Record last = MarkLane.read(dir).orElseThrow();
        assertTrue(last.mark() >= 50, "the last mark covers every step emitted: " + last.mark());
        assertEquals(0, last.uncoveredPeak(), "nothing went out beyond it: a restart books nothing more");
    }

    private static void awaitDurable(WriteAheadMark mark, long at) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mark.durable() < at) {
            assertTrue(System.nanoTime() < deadline, "the lane did not commit " + at + "; durable " + mark.durable());
            Thread.sleep(1);
        }
    }
}
