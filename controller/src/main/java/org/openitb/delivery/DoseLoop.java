package org.openitb.delivery;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.openitb.clock.Clock;
import org.openitb.clock.Pace;
import org.tinylog.Logger;

/**
 * The thin real-time shell around a {@code tick(now) → next wake} core: a dedicated platform
 * thread that parks until shortly before the deadline and spins only the last stretch, so it is
 * on time without burning a core while idle. Anything thrown out of the core is a broken
 * invariant: the failure handler drives the safe state and ends the process, for systemd to restart.
 */
public final class DoseLoop implements AutoCloseable {

    /**
     * How a loop keeps time.
     *
     * @param spinNanos        how close to a deadline the loop stops parking and spins (0: it only parks)
     * @param realtimePriority SCHED_FIFO priority asked for, 0 for none ({@link ThreadTuning})
     */
    public record Timing(long spinNanos, int realtimePriority) {
        /** Steps on time to the microsecond: spins the last 200 µs, real-time priority 20. */
        public static final Timing DOSE = new Timing(200_000, ThreadTuning.DOSE_LOOP_PRIORITY);
        /**
         * Sensors and alarms: a wake-up on an edge or every poll interval, where tens of
         * microseconds do not matter but spinning 200 µs per pass would cost a core's percent or
         * two. An ordinary thread: real-time priority on a loop that polls (at high simulation
         * speed, all the time) would starve the store's writer, which the dose loop waits for.
         */
        public static final Timing INPUTS = new Timing(0, 0);

        public Timing {
            if (spinNanos < 0 || spinNanos > 1_000_000) {
                throw new IllegalArgumentException("spin " + spinNanos + " ns is outside 0..1 ms");
            }
            ThreadTuning.requirePriority(realtimePriority);
        }
    }

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean woken;
    private volatile long passes;

    @SuppressWarnings("NonAtomicVolatileUpdate") // passes has one writer, the loop's thread; volatile for the watchdog's reads
    private DoseLoop(String name, Clock clock, Pace pace, Timing timing, LongUnaryOperator tick,
            Consumer<Throwable> onFailure) {
        this.thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                Logger.info("{}: {}", name, String.join(", ", ThreadTuning.tuneCurrentThread(timing.realtimePriority())));
                while (running) {
                    woken = false; // cleared before the tick, so a wake during it is not lost
                    long now = clock.nanos();
                    // Running since now, not late: a simulation's clock holds for this loop only if the
                    // pass itself is held up (by the host, or a wait for the disk) past the lag.
                    pace.due(now);
                    long next = tick.applyAsLong(now);
                    pace.due(next); // a simulation's clock waits for this loop if the host holds it back
                    passes++; // only this thread writes it
                    // Park until shortly before the deadline (a park may end early: wait again unless
                    // woken on purpose), then spin the last stretch to be on time.
                    while (running && !woken) {
                        long wait = next - clock.nanos();
                        if (wait <= 0) {
                            break;
                        }
                        if (wait > timing.spinNanos()) {
                            clock.parkUntil(next - timing.spinNanos());
                        } else {
                            clock.spinUntil(next);
                        }
                    }
                }
                pace.release();
            } catch (Throwable e) {
                pace.release();
                Logger.error(e, "{} failed", name);
                onFailure.accept(e);
            }
        });
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts a dose loop ({@link Timing#DOSE}) named {@code name}; {@code onFailure} runs on it if the core throws. */
    public static DoseLoop start(String name, Clock clock, LongUnaryOperator tick, Consumer<Throwable> onFailure) {
        return start(name, clock, Timing.DOSE, tick, onFailure);
    }

    /** Starts a loop thread named {@code name} that keeps time as {@code timing} says; {@code onFailure} runs on it if the core throws. */
    public static DoseLoop start(String name, Clock clock, Timing timing, LongUnaryOperator tick,
            Consumer<Throwable> onFailure) {
        return start(name, clock, clock.pace(name), timing, tick, onFailure);
    }

    /**
     * As {@link #start(String, Clock, Timing, LongUnaryOperator, java.util.function.Consumer)}, pacing
     * the clock through {@code pace}: a pass that waits on the clock for long (a hang played on the
     * bench) releases it first.
     */
    public static DoseLoop start(String name, Clock clock, Pace pace, Timing timing, LongUnaryOperator tick,
            Consumer<Throwable> onFailure) {
        DoseLoop loop = new DoseLoop(Objects.requireNonNull(name, "name"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(pace, "pace"), Objects.requireNonNull(timing, "timing"), Objects.requireNonNull(tick, "tick"),
                Objects.requireNonNull(onFailure, "onFailure"));
        loop.thread.start();
        return loop;
    }

    /** Ticks at once instead of at the next deadline (a command arrived, an input changed). */
    public void wake() {
        woken = true;
        LockSupport.unpark(thread);
    }

    /**
     * How many passes of the core have completed: the heartbeat the systemd watchdog is fed from. It
     * stops moving when the core hangs, however the thread parks.
     */
    public long passes() {
        return passes;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
