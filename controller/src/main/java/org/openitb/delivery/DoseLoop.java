package org.openitb.delivery;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;
import org.openitb.clock.Clock;
import org.tinylog.Logger;

/**
 * The thin real-time shell around a {@code tick(now) → next wake} core: a dedicated platform
 * thread that parks until shortly before the deadline and spins only the last stretch, so it is
 * on time without burning a core while idle. Anything thrown out of the core is a broken
 * invariant: the failure handler drives the safe state and ends the process, for systemd to restart.
 */
public final class DoseLoop implements AutoCloseable {

    /** How close to a deadline the loop stops parking and spins. */
    public static final long SPIN_NANOS = 200_000;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean woken;
    private volatile long passes;

    private DoseLoop(String name, Clock clock, LongUnaryOperator tick, java.util.function.Consumer<Throwable> onFailure) {
        this.thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                while (running) {
                    woken = false; // cleared before the tick, so a wake during it is not lost
                    long next = tick.applyAsLong(clock.nanos());
                    passes++; // only this thread writes it
                    // Park until shortly before the deadline (a park may end early: wait again unless
                    // woken on purpose), then spin the last stretch to be on time.
                    while (running && !woken) {
                        long wait = next - clock.nanos();
                        if (wait <= 0) {
                            break;
                        }
                        if (wait > SPIN_NANOS) {
                            clock.parkUntil(next - SPIN_NANOS);
                        } else {
                            clock.spinUntil(next);
                        }
                    }
                }
            } catch (Throwable e) {
                Logger.error(e, "{} failed", name);
                onFailure.accept(e);
            }
        });
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts a loop thread named {@code name}; {@code onFailure} runs on it if the core throws. */
    public static DoseLoop start(String name, Clock clock, LongUnaryOperator tick, java.util.function.Consumer<Throwable> onFailure) {
        DoseLoop loop = new DoseLoop(Objects.requireNonNull(name, "name"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(tick, "tick"), Objects.requireNonNull(onFailure, "onFailure"));
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
