package org.openitb.perf;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openitb.clock.Clock;

/**
 * A bench's background thread (a baseline loop, the allocator, the telemetry load): its body
 * runs while {@link #running()}, waits with {@link #pauseUntil}, and ends when closed.
 */
final class BenchThread implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private BenchThread(String name, int priority, Consumer<BenchThread> body) {
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> body.accept(this));
        thread.setPriority(priority);
    }

    /** Starts {@code body} on a daemon thread named {@code name} with the Java priority {@code priority}. */
    static BenchThread start(String name, int priority, Consumer<BenchThread> body) {
        BenchThread t = new BenchThread(Objects.requireNonNull(name, "name"), priority, Objects.requireNonNull(body, "body"));
        t.thread.start();
        return t;
    }

    /** Whether the body should go on. */
    boolean running() {
        return running;
    }

    /** Parks until {@code deadlineNanos} on {@code clock} (a sleep), or until closed. */
    void pauseUntil(Clock clock, long deadlineNanos) {
        while (running && clock.nanos() - deadlineNanos < 0) {
            clock.parkUntil(deadlineNanos);
        }
    }

    /** Stops the body at its next check and waits for the thread to end. */
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
