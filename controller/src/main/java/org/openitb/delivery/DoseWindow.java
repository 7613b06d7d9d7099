package org.openitb.delivery;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Drug in five-minute steps of the monotonic clock, for limits over a rolling 24 h: the last day is
 * the step under way and the 288 before it, so it errs long (up to 24 h 5 min), the safe side for a
 * maximum. At most {@link #STEPS_KEPT} steps are kept. What is saved across a restart is merged by
 * the hour, each hour dated by its latest step, so it stays in the window as long as any of it may
 * belong there. Confined to the dose loop thread.
 */
final class DoseWindow {

    static final long STEP_NANOS = 5 * 60_000_000_000L;
    static final long HOUR_NANOS = 12 * STEP_NANOS;
    private static final int STEPS_PER_DAY = 288;
    /** Steps kept at most: the last day's 289 and one to spare. */
    static final int STEPS_KEPT = STEPS_PER_DAY + 2;

    /** Drug from {@code startNanos} (monotonic) on, in 10^-9 ng. */
    record Step(long startNanos, BigInteger billionths) {
        Step {
            Objects.requireNonNull(billionths, "billionths");
        }
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    /** {@link #lastDay}'s sum and the window start it is for: asked on every pass of the dose loop, it moves every five minutes. */
    private BigInteger cachedSum = BigInteger.ZERO;
    private long cachedFrom = Long.MIN_VALUE;

    void add(long nowNanos, BigInteger billionths) {
        if (billionths.signum() <= 0) {
            return;
        }
        long start = Math.floorDiv(nowNanos, STEP_NANOS) * STEP_NANOS;
        if (cachedFrom != Long.MIN_VALUE && start >= cachedFrom) {
            cachedSum = cachedSum.add(billionths);
        } else {
            cachedFrom = Long.MIN_VALUE;
        }
        Step last = steps.peekLast();
        if (last != null && last.startNanos() >= start) {
            // The same step, or a restored hour dated later than now's step (a clock set back): add to it.
            steps.removeLast();
            steps.addLast(new Step(last.startNanos(), last.billionths().add(billionths)));
        } else {
            steps.addLast(new Step(start, billionths));
        }
        while (steps.size() > STEPS_KEPT) {
            steps.removeFirst();
        }
    }

    /** The drug of the step under way at {@code nowNanos} and of the 24 hours before it. */
    BigInteger lastDay(long nowNanos) {
        long from = (Math.floorDiv(nowNanos, STEP_NANOS) - STEPS_PER_DAY) * STEP_NANOS;
        if (from != cachedFrom) {
            BigInteger sum = BigInteger.ZERO;
            for (Step h : steps) {
                if (h.startNanos() >= from) {
                    sum = sum.add(h.billionths());
                }
            }
            cachedSum = sum;
            cachedFrom = from;
        }
        return cachedSum;
    }

    /** What to save: the steps kept merged by the hour, each hour dated by its latest step, oldest first. */
    List<Step> byHour() {
        List<Step> hours = new ArrayList<>();
        for (Step h : steps) {
            Step last = hours.isEmpty() ? null : hours.get(hours.size() - 1);
            if (last != null && Math.floorDiv(last.startNanos(), HOUR_NANOS) == Math.floorDiv(h.startNanos(), HOUR_NANOS)) {
                hours.set(hours.size() - 1, new Step(h.startNanos(), last.billionths().add(h.billionths())));
            } else {
                hours.add(h);
            }
        }
        return hours;
    }

    /** Puts back what a previous run saved (each dated on this run's clock), oldest first. */
    void restore(List<Step> saved) {
        steps.clear();
        cachedFrom = Long.MIN_VALUE;
        for (Step h : saved) {
            add(h.startNanos(), h.billionths());
        }
    }
}
