package org.openitb.perf;

import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.openitb.clock.Clock;
import org.openitb.delivery.DoseLoop;
import org.openitb.delivery.ThreadTuning;

/**
 * The dose loop's own shell with nothing to do, beside the pump in the lateness phase: the same
 * real-time priority and timer slack, waking on absolute deadlines at the same 500 Hz and only
 * noting when it woke. Its lateness is what the host and the collector alone cost a thread that
 * is woken on time, a floor the pump's steps can be read against. It parks to its deadlines
 * without the dose loop's last 200 µs of spinning, so it takes next to no CPU from the
 * baselines; the kernel's wake-up latency (tens of µs) is in its numbers, well under the 500 µs
 * they are read against.
 */
public final class EmptyLoop implements AutoCloseable {

    /** Its period: 2 ms, the lateness phase's steps'. */
    public static final long INTERVAL_NANOS = 2_000_000;
    private static final DoseLoop.Timing PARK_ONLY = new DoseLoop.Timing(0, ThreadTuning.DOSE_LOOP_PRIORITY);

    private final RiseRecorder wakes;
    private final long firstDeadlineNanos;
    private final DoseLoop loop;
    private volatile Throwable failure;

    private EmptyLoop(Clock clock, int capacity) {
        this.wakes = new RiseRecorder(capacity);
        // Half a period from now: clear of the start-up of whatever began with it.
        this.firstDeadlineNanos = clock.nanos() + INTERVAL_NANOS / 2;
        long[] next = {firstDeadlineNanos};
        this.loop = DoseLoop.start("bench-empty-loop", clock, PARK_ONLY, now -> {
            if (now - next[0] < 0) {
                return next[0]; // woken before its deadline (the first pass): back to sleep
            }
            wakes.accept(now);
            next[0] += INTERVAL_NANOS;
            return next[0];
        }, e -> failure = e); // logged by the loop; reported when the wakes are read
    }

    /** Starts it on {@code clock}, keeping up to {@code capacity} wakes. */
    public static EmptyLoop start(Clock clock, int capacity) {
        return new EmptyLoop(Objects.requireNonNull(clock, "clock"), capacity);
    }

    /** Wakes so far. */
    public int wakes() {
        return wakes.recorded();
    }

    /** How late each wake whose deadline fell within [{@code fromNanos}, {@code toNanos}] was, µs. */
    public Histogram latenessUs(long fromNanos, long toNanos) {
        if (failure != null) {
            throw new IllegalStateException("the empty loop failed: " + failure, failure);
        }
        Histogram h = Latency.histogram();
        for (int i = 0; i < wakes.recorded(); i++) {
            long deadline = firstDeadlineNanos + i * INTERVAL_NANOS; // one wake per deadline, late or not
            if (deadline - fromNanos >= 0 && deadline - toNanos <= 0) {
                Latency.record(h, (wakes.rise(i) - deadline) / 1_000);
            }
        }
        return h;
    }

    @Override
    public void close() {
        loop.close();
    }
}
