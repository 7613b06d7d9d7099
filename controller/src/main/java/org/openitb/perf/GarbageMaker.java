package org.openitb.perf;

import java.util.Objects;
import org.openitb.clock.Clock;

/**
 * Background load for the collector: a thread that allocates at a steady rate, mostly garbage
 * that dies young: each chunk stays in a ring of the most recent ones for a while, so each young
 * collection has something to copy. It stands for the JSON, SQL and MQTT work of a busy pump, only heavier.
 */
public final class GarbageMaker implements AutoCloseable {

    /** The highest allocation rate asked for, MB/s. */
    public static final int MAX_MB_PER_SECOND = 1_000;
    /** Chunks kept alive: 256 × 4 KiB = 1 MiB of live data in the ring. */
    private static final int RING = 256;
    private static final int CHUNK_BYTES = 4_096;
    private static final long PERIOD_NANOS = 1_000_000;

    private final BenchThread thread;
    private volatile long allocatedBytes;

    private GarbageMaker(Clock clock, int mbPerSecond) {
        long bytesPerPeriod = (long) mbPerSecond * 1_000_000 / (1_000_000_000 / PERIOD_NANOS);
        this.thread = BenchThread.start("bench-allocator", Thread.NORM_PRIORITY, t -> {
            if (bytesPerPeriod == 0) {
                return;
            }
            Object[] ring = new Object[RING];
            int slot = 0;
            long next = clock.nanos();
            long total = 0;
            while (t.running()) {
                for (long done = 0; done < bytesPerPeriod; done += CHUNK_BYTES) {
                    byte[] chunk = new byte[CHUNK_BYTES];
                    chunk[0] = (byte) slot;
                    ring[slot++ & (RING - 1)] = chunk; // alive for the next RING chunks, then garbage
                }
                total += bytesPerPeriod;
                allocatedBytes = total;
                next += PERIOD_NANOS;
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
}
