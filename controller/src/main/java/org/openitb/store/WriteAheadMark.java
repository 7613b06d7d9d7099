package org.openitb.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The write-ahead record of delivery: a durable count of microsteps that may have been emitted.
 * Before step k the dose loop needs the durable mark at k or above. It reserves ahead one batch:
 * up to {@value #WINDOW} steps, and no further than the plan reaches within a batch time (the
 * horizon the scheduler passes), asking again when half the reservation is used, so the writer
 * stays ahead and the loop rarely waits. After a crash the mark is taken as delivered: at most
 * one batch too many, on the safe side for the reservoir. While storage is failing the loop does
 * not wait (delivery must not stop for a disk), and the failure is reported instead.
 */
final class WriteAheadMark {

    /** The most a crash can leave uncertain, in microsteps. */
    static final int WINDOW = 64;

    private final AtomicLong requested;
    private final Runnable wakeWriter;
    private volatile long durable;
    private volatile boolean failing;
    private volatile Thread waiter;

    WriteAheadMark(long start, Runnable wakeWriter) {
        this.durable = start;
        this.requested = new AtomicLong(start);
        this.wakeWriter = wakeWriter;
    }

    /** On the dose loop: returns once microstep {@code k} is covered (or storage is failing). */
    void beforeStep(long k, long horizon) {
        long reserve = Math.min(k - 1 + WINDOW, Math.max(k, horizon));
        // Ask again once half of what a reservation would cover is used up (at once if k is not covered).
        if (durable < reserve && durable - k < (reserve - k + 1) / 2) {
            requested.accumulateAndGet(reserve, Math::max);
            wakeWriter.run();
        }
        while (k > durable && !failing) {
            waiter = Thread.currentThread();
            if (k > durable && !failing) {
                LockSupport.park(this);
            }
            waiter = null;
        }
    }

    /** On the writer: the mark to write next, or -1 if the durable one is current. */
    long pending() {
        long r = requested.get();
        return r > durable ? r : -1;
    }

    /** On the writer: {@code mark} is on disk. */
    void durable(long mark) {
        durable = Math.max(durable, mark);
        wake();
    }

    /** On the writer: storage failed (the loop stops waiting) or works again. */
    void failing(boolean f) {
        failing = f;
        wake();
    }

    long durable() {
        return durable;
    }

    private void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
