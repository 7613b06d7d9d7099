package org.openitb.delivery;

import java.util.Objects;
import org.openitb.drivers.stepper.Direction;
import org.openitb.drivers.stepper.MotorFaultException;
import org.openitb.drivers.stepper.MotorWatchdog;
import org.openitb.drivers.stepper.StepperDriver;

/**
 * Emits microsteps so the count delivered tracks a {@link DeliveryPlan}: the pure core of the dose
 * loop, {@code tick(now) → next wake}. It plans nothing itself. A step that comes due is emitted;
 * when the loop was late (GC, load) the backlog is caught up at no more than the maximum step
 * rate, never dropped. Halted, it emits nothing and the motor is disabled. Every step is cleared
 * with the {@link DeliverySink}'s write-ahead record first; steps are reported in batches.
 */
public final class DoseScheduler {

    /** Steps per batch at most (reported together). */
    public static final int BATCH_MAX_MICROSTEPS = 64;
    /** A batch is closed after this long even if it has room left; the write-ahead record reserves no further ahead in time. */
    public static final long BATCH_MAX_NANOS = 60_000_000_000L;

    private final StepperDriver stepper;
    private final MotorWatchdog watchdog;
    private final DeliverySink sink;
    private final long minStepIntervalNanos;
    private final long idleWakeNanos;
    private final StepLateness lateness = new StepLateness();

    private DeliveryPlan plan;
    /** The plan {@link #nextDueNanos} belongs to. */
    private DeliveryPlan followed;
    private long nextDueNanos;
    private String haltReason;
    private long delivered;
    private long lastStepNanos = Long.MIN_VALUE / 2;

    /*
     * The look-ahead of the next step (its write-ahead horizon and renewal point, and when the one
     * after it is due), worked out right after the step before it, from the next step's deadline:
     * the pass at that deadline then allocates nothing before its pulse, so it cannot be the one
     * that finds the young generation full and waits out a collection with the pulse still to go.
     * From the deadline rather than the moment of the step, it reserves a little less: the safe side.
     */
    private DeliveryPlan aheadPlan;
    private long aheadStep;
    private long aheadHorizon;
    private long aheadRenewBy;
    private long aheadFollowing;

    private boolean batchOpen;
    private long batchFirst;
    private int batchCount;
    private long batchStartNanos;
    private long batchLastStepNanos;

    /**
     * @param maxStepRateHz the highest step rate ever emitted, catch-up included
     * @param idleWakeNanos the longest the loop may sleep: it must feed the watchdog well within its timeout
     * @param delivered     microsteps already delivered (after a restart)
     */
    public DoseScheduler(StepperDriver stepper, MotorWatchdog watchdog, DeliverySink sink, long maxStepRateHz,
            long idleWakeNanos, long delivered) {
        this.stepper = Objects.requireNonNull(stepper, "stepper");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (maxStepRateHz <= 0 || idleWakeNanos <= 0) {
            throw new IllegalArgumentException("step rate and idle wake must be positive");
        }
        this.minStepIntervalNanos = (1_000_000_000L + maxStepRateHz - 1) / maxStepRateHz;
        this.idleWakeNanos = idleWakeNanos;
        this.delivered = delivered;
    }

    /** Follows {@code next} from now on; null: nothing programmed. */
    public void plan(DeliveryPlan next) {
        this.plan = next;
    }

    public DeliveryPlan plan() {
        return plan;
    }

    /** Stops emitting (occlusion, stall, empty reservoir, motor fault) and de-energises the motor. */
    public void halt(String reason, long nowNanos) {
        Objects.requireNonNull(reason, "reason");
        haltReason = reason;
        closeBatch(nowNanos);
        if (stepper.enabled()) {
            stepper.disable();
        }
    }

    /** Ends a halt; the caller rebases the plan first, so nothing missed is caught up. */
    public void resume() {
        haltReason = null;
        followed = null;
    }

    /** Why emission is halted, or null. */
    public String haltReason() {
        return haltReason;
    }

    /** Microsteps delivered since start (the counter the plan's target is compared with). */
    public long delivered() {
        return delivered;
    }

    public StepLateness lateness() {
        return lateness;
    }

    /** How the write-ahead record keeps up with the steps. */
    public WriteAheadHealth writeAhead() {
        return sink.writeAhead();
    }

    /**
     * Emits the step that is due, if one is and the step rate allows, and returns when to tick next.
     * Between steps a tick costs next to nothing: the next deadline is computed once per step.
     *
     * @throws MotorFaultException if the stepper refuses (watchdog trip, pin failure); the scheduler is then halted
     */
    public long tick(long now) {
        watchdog.feed();
        if (batchOpen && (batchCount >= BATCH_MAX_MICROSTEPS || now - batchStartNanos >= BATCH_MAX_NANOS)) {
            closeBatch(now);
        }
        if (plan == null || haltReason != null) {
            return now + idleWakeNanos;
        }
        if (plan != followed) {
            followed = plan;
            nextDueNanos = plan.timeOfMicrostep(delivered + 1);
            // A new plan (a bolus, a priming) may be faster: its first stretch is reserved before it comes due.
            if (nextDueNanos != Long.MAX_VALUE) {
                sink.reserve(Math.max(delivered + 1, plan.target(now + Math.min(sink.reserveAheadNanos(), BATCH_MAX_NANOS))));
            }
        }
        if (now - nextDueNanos >= 0) {
            long earliest = lastStepNanos + minStepIntervalNanos;
            if (now - earliest < 0) {
                return earliest; // the step-rate limit: catch up no faster than the maximum rate
            }
            nextDueNanos = emit(now, nextDueNanos);
            if (now - nextDueNanos >= 0) {
                return now + minStepIntervalNanos;
            }
        }
        if (nextDueNanos == Long.MAX_VALUE) {
            // Nothing more to deliver under this plan: rest the motor, report the batch.
            closeBatch(now);
            if (stepper.enabled()) {
                stepper.disable();
            }
        }
        return Math.min(now + idleWakeNanos, Math.max(nextDueNanos, lastStepNanos + minStepIntervalNanos));
    }

    /** Reports the open batch, if any (on halt, plan changes and shutdown). */
    public void closeBatch(long nowNanos) {
        if (batchOpen) {
            batchOpen = false;
            sink.delivered(new DeliveredBatch(batchFirst, batchCount, batchStartNanos, Math.max(batchLastStepNanos, batchStartNanos)));
        }
    }

    /** Emits the step due at {@code deadline}; returns when the one after it is due. */
    private long emit(long now, long deadline) {
        if (!batchOpen) {
            batchOpen = true;
            batchFirst = delivered + 1;
            batchCount = 0;
            batchStartNanos = now;
        }
        long k = delivered + 1;
        if (aheadPlan != plan || aheadStep != k || now - deadline > minStepIntervalNanos) {
            lookAhead(k, now); // a new plan, or a backlog being caught up: from now
        }
        sink.beforeStep(k, aheadHorizon, aheadRenewBy);
        try {
            if (!stepper.enabled()) {
                stepper.enable();
            }
            if (stepper.direction() != Direction.FORWARD) {
                stepper.direction(Direction.FORWARD);
            }
            stepper.step();
        } catch (MotorFaultException e) {
            halt("motor fault: " + e.getMessage(), now);
            throw e;
        }
        delivered++;
        lastStepNanos = now;
        batchCount++;
        batchLastStepNanos = now;
        lateness.record(now - deadline);
        if (batchCount >= BATCH_MAX_MICROSTEPS) {
            closeBatch(now); // full: reported now, after the pulse, not at the start of the next one's pass
        }
        long following = aheadFollowing;
        if (following != Long.MAX_VALUE) {
            lookAhead(delivered + 1, following);
        }
        return following;
    }

    /** Works out the look-ahead of microstep {@code k} as of {@code fromNanos}. */
    private void lookAhead(long k, long fromNanos) {
        // What the plan reaches by the time the record could next commit: it may reserve up to there (and its bound), no further.
        long horizon = Math.max(k, plan.target(fromNanos + Math.min(sink.reserveAheadNanos(), BATCH_MAX_NANOS)));
        long following = plan.timeOfMicrostep(k + 1);
        if (following != Long.MAX_VALUE) {
            horizon = Math.max(horizon, k + 1); // at a slow rate the next step is covered long before it is due
        }
        aheadPlan = plan;
        aheadStep = k;
        aheadHorizon = horizon;
        aheadRenewBy = plan.target(fromNanos + Math.min(sink.renewAheadNanos(), BATCH_MAX_NANOS));
        aheadFollowing = following;
    }
}
