package org.openitb.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import org.openitb.therapy.BolusRecord;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Suspension;
import org.openitb.therapy.Therapy;
import org.openitb.therapy.TherapyLimits;
import org.openitb.therapy.Volume;

/**
 * A previous run's kept state brought into this boot, as a value: wall times move to this boot's
 * monotonic clock through the restart's instant as the gap tells it (a wall clock behind the
 * heartbeat is not believed). Delivery goes on at the programmed rate from now: what the gap
 * missed is never made up, and a bolus cut off by the restart is not resumed.
 *
 * @param state                 delivery's state from now
 * @param suspensionEndedInGap  a timed suspension that the (known) gap saw end, if one did
 * @param dueFrom               from when the program was due to deliver in the gap: the last heartbeat, a timed
 *                              suspension's end within the gap, or empty (suspended through it)
 * @param bolusCutOff           the bolus the restart cut off (not resumed), described
 * @param restartAt             the restart's wall instant, as the gap tells it
 * @param nowNanos              this boot's monotonic time the state was brought in at
 */
record Recovery(DeliveryState state, Optional<Instant> suspensionEndedInGap, Optional<Instant> dueFrom, Optional<String> bolusCutOff,
        Instant restartAt, long nowNanos) {

    /**
     * The state {@code s} kept, restarted at {@code now} after {@code gap} with the scheduler at
     * {@code delivered} microsteps; {@code wallAt} and {@code zone} tell wall time for the program's rate.
     */
    static Recovery of(DurableState s, RestartGap gap, long now, long delivered, TherapyLimits limits, Volume perMicrostep,
            LongFunction<Instant> wallAt, ZoneId zone) {
        Instant lastHeartbeat = gap.lastHeartbeat();
        Instant restartAt = lastHeartbeat.plus(gap.atLeast());
        // A timed suspension the gap (known) saw end is over: restored, it would read as suspended for the whole gap.
        Optional<Instant> endedInGap = gap.known() ? s.suspendedUntil().filter(until -> !until.isAfter(restartAt)) : Optional.empty();
        ToLongFunction<Instant> mono = wall -> monotonic(wall, restartAt, now);
        Therapy therapy = Therapy.restored(limits,
                s.history().stream().map(d -> new Therapy.Entry(mono.applyAsLong(d.since()), d.value())).toList(),
                s.boluses().stream().map(b -> new BolusRecord(mono.applyAsLong(b.at()), b.dose(), b.kind())).toList(),
                s.suspendedSince().filter(since -> endedInGap.isEmpty()).map(since -> new Suspension(mono.applyAsLong(since),
                        s.suspendedUntil().map(until -> OptionalLong.of(now + Math.max(0, Duration.between(restartAt, until).toNanos())))
                                .orElse(OptionalLong.empty()))),
                s.revision() + 1, s.periodicAnchor().map(a -> OptionalLong.of(mono.applyAsLong(a))).orElse(OptionalLong.empty()),
                s.primings().stream().map(p -> new Therapy.Priming(mono.applyAsLong(p.since()), p.value())).toList());
        DeliveryState state = DeliveryState.start(therapy, DeliveryPlan.start(now, delivered, DailyRate.ZERO, s.counting(), perMicrostep));
        if (s.bridgeUntil().isPresent() && s.bridgeTo().isPresent()) {
            state = state.withBridge(Optional.of(new Bridge(s.bridgeUntil().getAsLong(), s.bridgeTo().get())));
        }
        state = state.withBasalAt(now, wallAt.apply(now), zone);
        state = state.withNextPeriodic(state.therapy().suspension().isPresent() ? Long.MAX_VALUE : state.therapy().nextPeriodicFrom(now));
        // A suspension saw to part of the gap: an open one to all of it, a timed one until it ended.
        Optional<Instant> dueFrom = s.suspendedSince().isEmpty() ? Optional.of(lastHeartbeat)
                : s.suspendedUntil().filter(until -> until.isBefore(restartAt)).map(until -> until.isAfter(lastHeartbeat) ? until : lastHeartbeat);
        Optional<String> cutOff = s.bolus().filter(b -> b.endsAt().isAfter(lastHeartbeat)).map(DurableState.RunningBolus::description);
        return new Recovery(state, endedInGap, dueFrom, cutOff, restartAt, now);
    }

    /** A wall instant of the previous run on this boot's monotonic clock: as long before now as it was before the restart. */
    long monotonic(Instant wall) {
        return monotonic(wall, restartAt, nowNanos);
    }

    private static long monotonic(Instant wall, Instant restartAt, long now) {
        return now - Math.max(0, Duration.between(wall, restartAt).toNanos());
    }
}
