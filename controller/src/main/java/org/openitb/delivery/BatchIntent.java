package org.openitb.delivery;

/**
 * What the scheduler is about to emit: up to {@code maxMicrosteps} from number {@code firstMicrostep}
 * on, before {@code untilNanos}. Recorded before the first step (write-ahead), so after a crash the
 * uncertainty is at most one batch, counted as delivered.
 */
public record BatchIntent(long firstMicrostep, int maxMicrosteps, long startNanos, long untilNanos) {
}
