package org.openitb.clock;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The thread shell of a loop whose logic is {@code tick(now) -> next wake}: a named platform
 * thread runs a pass, parks on the injected clock until the time the pass returned (or until
 * {@link #wake woken}), and repeats until {@link #close closed}. A park may end early, so a pass
 * decides from the time it is given, never from having been called. A pass that throws ends the
 * loop, after the loop's failure handler has been told: nothing dies silently. The dose loop
 * (it spins the last stretch to a step) and the MQTT publisher (its close waits a bounded time for
 * a broker call) keep shells of their own.
 */
public final class LoopThread implements AutoCloseable {

    /** One pass of a loop at {@code nowNanos}; returns when to come back (monotonic ns). */
    @FunctionalInterface
    public interface Pass {
        long run(long nowNanos);
    }

    private final Thread thread;
    private volatile boolean running = true;

    private LoopThread(String name, Clock clock, Pass pass, Consumer<Throwable> onFailure) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(onFailure, "onFailure");
        this.thread = Thread.ofPlatform().name(Objects.requireNonNull(name, "name")).daemon(true).unstarted(() -> {
            try {
                while (running) {
                    long next = pass.run(clock.nanos());
                    if (running) {
                        clock.parkUntil(next);
                    }
                }
            } catch (RuntimeException e) {
                onFailure.accept(e);
            } catch (Error e) {
                onFailure.accept(e);
                throw e; // the JVM is in trouble: said by the handler, and not swallowed
            }
        });
    }

    /**
     * A loop that runs {@code pass} on a thread of its own named {@code name}, at {@code priority}
     * ({@link Thread#NORM_PRIORITY} for none in particular), once {@link #start started};
     * {@code onFailure} hears of a pass that threw, on the loop's thread, before the loop ends.
     * Made before it starts so that whoever wakes it can hold it first: no wake is lost.
     */
    public static LoopThread create(String name, Clock clock, int priority, Pass pass, Consumer<Throwable> onFailure) {
        LoopThread loop = new LoopThread(name, clock, pass, onFailure);
        loop.thread.setPriority(priority);
        return loop;
    }

    /** Starts the loop's thread; returns this loop. */
    public LoopThread start() {
        thread.start();
        return this;
    }

    /** Makes the loop run a pass now rather than at the time the last one asked for. */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** Whether the loop still runs: false once closed or once a pass threw. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Stops the loop after the pass under way and waits for its thread to end. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(); // a pass ends on its own deadline: the loops' passes never wait without one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
