package org.openitb.perf;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.openitb.clock.Clock;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.delivery.DeliverySink;
import org.openitb.delivery.DoseLoop;
import org.openitb.delivery.DoseScheduler;
import org.openitb.drivers.stepper.MotorWatchdog;
import org.openitb.drivers.stepper.MotorWatchdogThread;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Volume;

/**
 * Ours: the pump's own dose path on a rig. A {@link DeliveryPlan} at a steady rate, the real
 * {@link DoseScheduler} tracking it (each step cleared with the write-ahead sink it is given), in
 * the real {@link DoseLoop} shell, with the motor watchdog on its own thread as in the daemon.
 */
public final class ScheduledStepping implements AutoCloseable {

    /** The plan's unit of account for a bench rate: 1 nL per microstep at 1000 mcg/mL, so f Hz is 86 400·f ng/day exactly. */
    private static final Concentration CONCENTRATION = new Concentration(1_000_000);
    private static final Volume PER_MICROSTEP = new Volume(1_000);

    private final DeliveryPlan plan;
    private final DoseScheduler scheduler;
    private final MotorWatchdogThread watchdogThread;
    private final DoseLoop loop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private ScheduledStepping(StepRig rig, Clock clock, DeliverySink sink, long rateHz, long maxStepRateHz, long startNanos) {
        this.plan = plan(rateHz, startNanos);
        // As the daemon sets them up: a 1 s motor watchdog, fed at least four times per period.
        Duration watchdogTimeout = Duration.ofSeconds(1);
        MotorWatchdog watchdog = new MotorWatchdog(rig.stepper(), watchdogTimeout, clock);
        this.scheduler = new DoseScheduler(rig.stepper(), watchdog, sink, maxStepRateHz, watchdogTimeout.toNanos() / 4, 0);
        scheduler.plan(plan);
        this.watchdogThread = MotorWatchdogThread.start(watchdog, clock);
        this.loop = DoseLoop.start("bench-dose-loop-" + rateHz + "Hz", clock, scheduler::tick, failure::set);
    }

    /**
     * Starts stepping at {@code rateHz} from {@code startNanos} (the first step is due one interval later).
     *
     * @param maxStepRateHz the scheduler's step-rate limit, which bounds how fast it catches up after a late pass
     */
    public static ScheduledStepping start(StepRig rig, Clock clock, DeliverySink sink, long rateHz, long maxStepRateHz, long startNanos) {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sink, "sink");
        if (maxStepRateHz < rateHz) {
            throw new IllegalArgumentException("the step-rate limit " + maxStepRateHz + " Hz is below the rate " + rateHz + " Hz");
        }
        return new ScheduledStepping(rig, clock, sink, rateHz, maxStepRateHz, startNanos);
    }

    /** A plan of exactly {@code rateHz} microsteps per second from {@code startNanos}. */
    static DeliveryPlan plan(long rateHz, long startNanos) {
        if (rateHz <= 0 || rateHz > 100_000) {
            throw new IllegalArgumentException("rate " + rateHz + " Hz is outside 1..100000");
        }
        return DeliveryPlan.start(startNanos, 0, new DailyRate(Math.multiplyExact(86_400L, rateHz)), CONCENTRATION, PER_MICROSTEP);
    }

    /** What the scheduler should have delivered by {@code nanos}. */
    public long target(long nanos) {
        return plan.target(nanos);
    }

    /** Why the loop ended on its own (a broken invariant), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Stops the loop and the watchdog; the scheduler's batch is reported and the motor disabled by the rig. */
    @Override
    public void close() {
        loop.close();
        watchdogThread.close();
    }
}
