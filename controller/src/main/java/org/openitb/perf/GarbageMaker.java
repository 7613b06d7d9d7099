package org.openitb.perf;

import java.util.Objects;
import java.util.SplittableRandom;
import org.openitb.clock.Clock;

/**
 * Background load for the collector: a thread that allocates at a steady average rate, mostly
 * garbage that dies young: each chunk stays in a ring of the most recent ones for a while, so each
 * young collection has something to copy. It stands for the JSON, SQL and MQTT work of a busy pump,
 * only heavier. Its bursts come at seeded random intervals, not on a fixed grid: a 1 ms grid locks
 * to the 2 ms steps at whatever phase the two threads started in, so a run's collections either
 * all landed on steps or none did.
 */
public final class GarbageMaker implements AutoCloseable {

    /** The highest allocation rate asked for, MB/s. */
    public static final int MAX_MB_PER_SECOND = 1_000;
    /** Chunks kept alive: 256 × 4 KiB = 1 MiB of live data in the ring. */
    private static final int RING = 256;
    static final int CHUNK_BYTES = 4_096;
    /** The mean time between bursts; each gap is drawn from half to one and a half of it. */
    private static final long PERIOD_NANOS = 1_000_000;
    /** The same gaps in every run. */
    private static final long SEED = 0x6A7BAC1DL;

    private final BenchThread thread;
    private volatile long allocatedBytes;

    private GarbageMaker(Clock clock, int mbPerSecond) {
        long bytesPerSecond = (long) mbPerSecond * 1_000_000;
        this.thread = BenchThread.start("bench-allocator", Thread.NORM_PRIORITY, t -> {
            if (bytesPerSecond == 0) {
                return;
            }
            Bursts bursts = new Bursts(bytesPerSecond);
            Object[] ring = new Object[RING];
            int slot = 0;
            long next = clock.nanos();
            long total = 0;
            while (t.running()) {
                long gap = bursts.nextGapNanos();
                for (long n = bursts.chunksAfter(gap); n > 0; n--) {
                    byte[] chunk = new byte[CHUNK_BYTES];
                    chunk[0] = (byte) slot;
                    ring[slot++ & (RING - 1)] = chunk; // alive for the next RING chunks, then garbage
                    total += CHUNK_BYTES;
                }
                allocatedBytes = total;
                next += gap;
                t.pauseUntil(clock, next);
            }
        });
    }

    /** Starts allocating about {@code mbPerSecond} MB each second (0 allocates nothing). */
    public static GarbageMaker start(Clock clock, int mbPerSecond) {
        Objects.requireNonNull(clock, "clock");
        if (mbPerSecond < 0 || mbPerSecond > MAX_MB_PER_SECOND) {
            throw new IllegalArgumentException("allocation rate " + mbPerSecond + " MB/s is outside 0.." + MAX_MB_PER_SECOND);
        }
        return new GarbageMaker(clock, mbPerSecond);
    }

    /** Bytes allocated so far. */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    @Override
    public void close() {
        thread.close();
    }

    /** When the bursts come and how many chunks each allocates: seeded gaps, the rate kept exact over time. */
    static final class Bursts {
        private final long bytesPerSecond;
        private final SplittableRandom gaps = new SplittableRandom(SEED);
        private long owedBytesTimesGiga; // what the chunks so far fell short of the rate, bytes × 1e9

        Bursts(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        /** The next gap, from half to one and a half of the mean period, ns. */
        long nextGapNanos() {
            return gaps.nextLong(PERIOD_NANOS / 2, PERIOD_NANOS * 3 / 2 + 1);
        }

        /** Whole chunks owed after {@code gapNanos} at the rate; the remainder carries to the next burst. */
        long chunksAfter(long gapNanos) {
            owedBytesTimesGiga += bytesPerSecond * gapNanos; // at most 1e9 B/s × 1.5e6 ns: no overflow
            long chunks = owedBytesTimesGiga / (CHUNK_BYTES * 1_000_000_000L);
            owedBytesTimesGiga -= chunks * CHUNK_BYTES * 1_000_000_000L;
            return chunks;
        }
    }
}
