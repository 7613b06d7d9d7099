package org.openitb.delivery;

/** Microsteps really emitted, numbers {@code firstMicrostep} to {@code firstMicrostep + microsteps - 1}, between two instants. */
public record DeliveredBatch(long firstMicrostep, int microsteps, long startNanos, long endNanos) {
    public long lastMicrostep() {
        return firstMicrostep + microsteps - 1;
    }
}
