package org.openitb.accuracy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.openitb.drivers.balance.Balance;

/**
 * A gravimetric test under way: {@link #tick} reads the balance when a read is due and hands every
 * read, faults too, to the record. Reads fall on the test's grid of read intervals; a read the
 * thread came too late for is not made up (the analysis counts the gap), so a slow balance or a
 * busy machine never shifts the grid. Confined to the thread that runs it.
 */
public final class AccuracyRun {

    private final Balance balance;
    private final long intervalNanos;
    private final long lengthNanos;
    private final long startNanos;
    private final Consumer<Recorded> record;
    private final List<Recorded> reads = new ArrayList<>();
    private long nextSlot;

    /**
     * A test of {@code length} reading {@code balance} every {@code interval}, whose time zero is
     * {@code startNanos} (monotonic; for a resumed test, as far back as the test began), telling
     * {@code record} of every read; {@code earlier} are the reads recorded before a resumption.
     */
    public AccuracyRun(Balance balance, Duration interval, Duration length, long startNanos, List<Recorded> earlier, Consumer<Recorded> record) {
        this.balance = Objects.requireNonNull(balance, "balance");
        this.record = Objects.requireNonNull(record, "record");
        this.intervalNanos = interval.toNanos();
        this.lengthNanos = length.toNanos();
        if (intervalNanos <= 0 || lengthNanos < intervalNanos) {
            throw new IllegalArgumentException("a test of " + length + " read every " + interval + " is not one");
        }
        this.startNanos = startNanos;
        reads.addAll(earlier);
        nextSlot = earlier.isEmpty() ? 0 : Math.floorDiv(earlier.get(earlier.size() - 1).elapsedNanos() + intervalNanos / 2, intervalNanos) + 1;
    }

    /**
     * Reads the balance if a read is due at {@code now}; returns when the next one is (monotonic ns),
     * or MAX_VALUE once done. A read less than one interval late is made at once (it is timed as
     * made); past that, the slots missed are gaps, and the next read waits for its own slot, so a
     * resumed test or a thread that stalled goes on on the grid, never with a burst of reads.
     */
    public long tick(long now) {
        long elapsed = now - startNanos;
        if (nextSlot * intervalNanos > lengthNanos) {
            return Long.MAX_VALUE;
        }
        if (elapsed - nextSlot * intervalNanos >= intervalNanos) {
            nextSlot = Math.floorDiv(elapsed - 1, intervalNanos) + 1; // the first slot not yet past
            if (nextSlot * intervalNanos > lengthNanos) {
                return Long.MAX_VALUE;
            }
        }
        if (elapsed >= nextSlot * intervalNanos) {
            Recorded r = new Recorded(Math.max(0, elapsed), balance.read());
            reads.add(r);
            record.accept(r);
            nextSlot++;
        }
        // The test's end is a slot of its own: read even when the thread comes to it late.
        return nextSlot * intervalNanos > lengthNanos ? Long.MAX_VALUE : startNanos + nextSlot * intervalNanos;
    }

    /** Every read so far, in order. */
    public List<Recorded> reads() {
        return List.copyOf(reads);
    }

    /** The stable weights: what the analysis uses. */
    public List<Reading> readings() {
        return Recorded.stable(reads);
    }

    /** Reads that gave no stable weight (silent, garbage, overloaded, settling...): each is in the record with what was said. */
    public long faults() {
        return Recorded.faults(reads);
    }
}
