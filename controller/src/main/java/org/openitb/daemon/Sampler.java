package org.openitb.daemon;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.openitb.alarm.RiskEstimate;
import org.openitb.clock.Clock;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.store.Sample;
import org.openitb.therapy.Concentration;

/**
 * Takes the pump's {@link Sample} every {@link Sample#PERIOD_MINUTES} minutes of pump time, on the
 * input loop, and hands it to the store, which never makes it wait.
 */
final class Sampler {

    static final long PERIOD_NANOS = Sample.PERIOD_MINUTES * 60_000_000_000L;
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final Consumer<Sample> store;
    private final Clock clock;
    private boolean started;
    private long dueNanos;

    Sampler(Consumer<Sample> store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Samples {@code status} if one is due at {@code nowNanos}; returns when to come back. The first
     * is due a period after the first call, once the loops have settled (a restart's first snapshot
     * can be older than its restore); a snapshot older than a period (a dose loop that has not
     * answered) is not taken for now: the record shows a hole, and it is tried again in a second.
     */
    long tick(long nowNanos, DeliveryStatus status, Optional<RiskEstimate> risk) {
        if (!started) {
            started = true;
            dueNanos = nowNanos + PERIOD_NANOS;
            return dueNanos;
        }
        if (nowNanos - dueNanos < 0) {
            return dueNanos;
        }
        if (nowNanos - status.nanos() > PERIOD_NANOS) {
            return nowNanos + RETRY_NANOS;
        }
        // Due times are kept on the grid of the first: a late pass does not push every later sample back.
        dueNanos += PERIOD_NANOS * (1 + (nowNanos - dueNanos) / PERIOD_NANOS);
        // Only a kernel that says so makes a sample's time unknown: a simulation's clock, or one not asked, is believed.
        store.accept(of(status, risk, clock.wallClockState().synchronised().orElse(true)));
        return dueNanos;
    }

    /** The sample of {@code status} and the withdrawal-risk estimate (level none, no percent, with nothing prescribed). */
    static Sample of(DeliveryStatus status, Optional<RiskEstimate> risk, boolean clockSet) {
        var supply = status.supply();
        var counts = status.counts();
        OptionalDouble hours = supply.hoursToEmpty().map(OptionalDouble::of).orElse(OptionalDouble.empty());
        OptionalLong concentration = supply.concentration().map(Concentration::nanogramsPerMl).map(OptionalLong::of).orElse(OptionalLong.empty());
        return new Sample(status.at(), status.running().state(), counts.deliveredDrug().nanograms(), counts.patientDrug().nanograms(),
                status.running().prescribedPerDay().nanogramsPerDay(), concentration, supply.remaining().picolitres(), hours,
                risk.map(r -> r.level().wire()).orElse("none"), risk.map(r -> OptionalLong.of(r.percent())).orElse(OptionalLong.empty()),
                clockSet);
    }
}
