package org.openitb.clock;

/**
 * A loop's hold on a simulated clock: after each pass the loop says when it runs next, and a
 * clock that can wait (a simulation's) runs no more than a bounded lag past that while the loop is
 * late, so a host that starves the loop slows simulated time instead of leaping it ahead. Real
 * time waits for no one: a real clock's pace does nothing.
 */
public interface Pace {

    /** The loop runs next at {@code wakeNanos} (it may be woken earlier). */
    void due(long wakeNanos);

    /** The loop has stopped: it holds the clock no more. */
    void release();

    /** The pace of a clock that waits for no loop. */
    Pace NONE = new Pace() {
        @Override
        public void due(long wakeNanos) {
        }

        @Override
        public void release() {
        }
    };
}
