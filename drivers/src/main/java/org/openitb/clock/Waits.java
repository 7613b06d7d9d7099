package org.openitb.clock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for another thread with a deadline on an injected {@link Clock}, instead of a timeout
 * the clock cannot see ({@code Future.get(timeout)}): the waiter parks on the clock and the
 * future's completion unparks it.
 */
public final class Waits {

    private Waits() {
    }

    /**
     * The value of {@code future}, waiting until {@code timeoutNanos} have passed on {@code clock}.
     *
     * @throws TimeoutException     if it did not complete in time
     * @throws ExecutionException   if it completed exceptionally
     * @throws InterruptedException if the waiting thread was interrupted
     */
    public static <T> T get(CompletableFuture<T> future, Clock clock, long timeoutNanos)
            throws TimeoutException, ExecutionException, InterruptedException {
        long deadline = clock.nanos() + timeoutNanos;
        Thread waiter = Thread.currentThread();
        // Only to wake the waiter: how the future ended is what get() below returns or throws.
        var unused = future.whenComplete((value, failure) -> LockSupport.unpark(waiter));
        while (!future.isDone()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (clock.nanos() - deadline >= 0) {
                throw new TimeoutException("no answer within " + timeoutNanos / 1_000_000 + " ms");
            }
            clock.parkUntil(deadline);
        }
        return future.get(); // done: returns at once
    }
}
