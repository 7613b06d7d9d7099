package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.openitb.clock.WallClockState;

/**
 * How long the pump was gone before this start, as far as the wall clock can tell. The gap is
 * measured from the last heartbeat on the wall clock, which a Raspberry Pi cannot be sure of after
 * a power cut (no clock battery: it boots from a saved or default time until NTP sets it). The gap
 * is unknown when the clock is behind the last heartbeat, or when the system says it is not
 * synchronised and the heartbeat came before this boot; it is then at least the time since boot.
 *
 * @param lastHeartbeat the last run's last heartbeat, on its wall clock
 * @param measured      the wall clock's gap from then to now (zero if the clock is behind)
 * @param known         whether {@code measured} can be believed
 * @param atLeast       what the gap is at least: {@code measured} when known, else the time since boot (or zero)
 */
public record RestartGap(Instant lastHeartbeat, Duration measured, boolean known, Duration atLeast) {

    public RestartGap {
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(atLeast, "atLeast");
    }

    /** The gap from {@code lastHeartbeat} to {@code wallNow}, judged by what is known of the wall clock. */
    public static RestartGap of(Instant lastHeartbeat, Instant wallNow, WallClockState clock) {
        Duration measured = Duration.between(lastHeartbeat, wallNow);
        boolean behind = measured.isNegative();
        boolean beforeBoot = clock.sinceBoot().map(up -> lastHeartbeat.isBefore(wallNow.minus(up))).orElse(false);
        boolean known = !behind && !(clock.unsynchronised() && beforeBoot);
        Duration positive = behind ? Duration.ZERO : measured;
        return new RestartGap(lastHeartbeat, positive, known, known ? positive : clock.sinceBoot().orElse(Duration.ZERO));
    }

    /** The heartbeat as this run takes it: the gap's lower bound before now (the wall clock may be wrong, the bound is not). */
    public Instant effectiveHeartbeat(Instant wallNow) {
        return wallNow.minus(atLeast);
    }
}
