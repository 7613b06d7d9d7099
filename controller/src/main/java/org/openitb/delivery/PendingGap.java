package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A restart whose gap the wall clock could not tell (a Pi booting from a stale time), kept until
 * the clock can be believed and the gap told again. Deciding when that is, and what the gap then
 * was, is pure; the dose loop journals the result and retimes a suspension restored across it.
 *
 * @param gap            the gap as it was told at the restart: its lower bound, the time since boot
 * @param dueFrom        from when the program was due to deliver in the gap (empty: not at all, suspended)
 * @param suspendedUntil when a timed suspension restored across the gap was always going to end
 * @param restartNanos   the restart's monotonic instant
 */
record PendingGap(RestartGap gap, Optional<Instant> dueFrom, Optional<Instant> suspendedUntil, long restartNanos) {

    PendingGap {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(dueFrom, "dueFrom");
        Objects.requireNonNull(suspendedUntil, "suspendedUntil");
    }

    /**
     * The gap told again: the restart's wall instant, the gap from the last heartbeat, the clock's
     * own shorter gap if the lower bound was kept over it (a clock putting the restart sooner than
     * the machine had been up is not believed over the bound), and from when the program was due in it.
     */
    record Corrected(Instant restartAt, Duration gap, Optional<Duration> overruled, Optional<Instant> dueFrom) {
    }

    /**
     * The gap as a wall clock reading {@code wallNow} at monotonic {@code nowNanos} tells it, if that
     * clock can be believed: the system says it is synchronised, or, where that cannot be asked
     * ({@code synchronised} empty), it puts the restart after the last heartbeat.
     */
    Optional<Corrected> correct(Instant wallNow, long nowNanos, Optional<Boolean> synchronised) {
        Instant restartAt = wallNow.minusNanos(nowNanos - restartNanos);
        boolean believable = synchronised.orElse(!restartAt.isBefore(gap.lastHeartbeat()));
        if (!believable) {
            return Optional.empty();
        }
        Duration told = Duration.between(gap.lastHeartbeat(), restartAt);
        Optional<Duration> overruled = Optional.empty();
        if (told.compareTo(gap.atLeast()) < 0) {
            overruled = Optional.of(told);
            told = gap.atLeast();
            restartAt = gap.lastHeartbeat().plus(told);
        }
        Instant at = restartAt;
        return Optional.of(new Corrected(restartAt, told, overruled, dueFrom.map(from -> from.isAfter(at) ? at : from)));
    }
}
