package org.openitb.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether delivery is halted and why, and the stepper faults of the last ten minutes: a value, and
 * one pure step from what a pass of the dose loop observed to what the loop must do. The loop
 * carries it out (halts the scheduler, journals, rearms the stepper); nothing here touches a device.
 */
final class Halting {

    /** A stepper fault is retried this long after it latched. */
    static final long FAULT_RETRY_NANOS = 1_000_000_000L;
    /** More faults than this within the window is not a transient: the controller stops (and systemd restarts it). */
    static final int FAULT_LIMIT = 3;
    static final long FAULT_WINDOW_NANOS = Duration.ofMinutes(10).toNanos();

    /** Delivering, no fault on record. */
    static final Halting RUNNING = new Halting(null, Long.MAX_VALUE, List.of());

    /** What a pass changed. */
    enum Change {
        /** As it was. */
        NONE,
        /** Delivering before, halted now. */
        HALTED,
        /** Halted before and now, for other reasons. */
        REASON_CHANGED,
        /** Halted before, delivering now. */
        RESUMED
    }

    /** A stepper fault booked by a pass: the controller's (its watchdog tripped) or the motor's, retried at {@code retryNanos}. */
    record Fault(boolean controller, String message, long retryNanos) {
    }

    /**
     * The state after a pass, what changed, the reasons before it (what a resumption came after), and
     * a fault the pass booked, to be told before the change.
     */
    record Step(Halting next, Change change, Optional<String> before, Optional<Fault> fault) {
    }

    private final String reason;
    private final long faultRetryNanos;
    private final List<Long> faultTimesNanos;
    /** Returned by a pass that changes nothing: the loop runs one before every pulse, and it must not allocate. */
    private final Step unchanged;

    private Halting(String reason, long faultRetryNanos, List<Long> faultTimesNanos) {
        this.reason = reason;
        this.faultRetryNanos = faultRetryNanos;
        this.faultTimesNanos = List.copyOf(faultTimesNanos);
        this.unchanged = new Step(this, Change.NONE, Optional.ofNullable(reason), Optional.empty());
    }

    /** Why delivery is halted, in words, if it is. */
    Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    boolean halted() {
        return reason != null;
    }

    /** When the latched stepper fault is retried (monotonic ns), {@link Long#MAX_VALUE} without one. */
    long faultRetryNanos() {
        return faultRetryNanos;
    }

    /** Whether the stepper's retry is due at {@code now}: the loop then rearms it, and goes on from {@link #retried()}. */
    boolean retryDue(long now) {
        return faultRetryNanos != Long.MAX_VALUE && now - faultRetryNanos >= 0;
    }

    Halting retried() {
        return new Halting(reason, Long.MAX_VALUE, faultTimesNanos);
    }

    /**
     * One pass: {@code interlocks} active, the reservoir {@code empty}, a latched stepper {@code fault},
     * and whether the motor watchdog tripped (then the fault is the controller's, its loop did not
     * report). A fault not yet being retried is booked, and its retry set.
     *
     * @throws IllegalStateException when faults recur beyond {@link #FAULT_LIMIT} in {@link #FAULT_WINDOW_NANOS}:
     *                               a broken invariant, which stops the motor into its safe state
     */
    Step step(Set<Interlocks.Reason> interlocks, boolean empty, Optional<String> fault, boolean watchdogTripped, long now) {
        if (interlocks.isEmpty() && !empty && fault.isEmpty() && reason == null) {
            return unchanged;
        }
        List<String> reasons = new ArrayList<>();
        interlocks.forEach(r -> reasons.add(r.toString()));
        if (empty) {
            reasons.add("reservoir empty");
        }
        long retry = faultRetryNanos;
        List<Long> times = faultTimesNanos;
        Optional<Fault> booked = Optional.empty();
        if (fault.isPresent()) {
            reasons.add((watchdogTripped ? "controller fault: " : "motor fault: ") + fault.get());
            if (faultRetryNanos == Long.MAX_VALUE) {
                times = recent(faultTimesNanos, now);
                if (times.size() > FAULT_LIMIT) {
                    throw new IllegalStateException("motor faults keep recurring (" + times.size() + " in "
                            + Duration.ofNanos(FAULT_WINDOW_NANOS).toMinutes() + " min), last: " + fault.get());
                }
                retry = now + FAULT_RETRY_NANOS;
                booked = Optional.of(new Fault(watchdogTripped, fault.get(), retry));
            }
        }
        String reasonNow = reasons.isEmpty() ? null : String.join(", ", reasons);
        Change change = Objects.equals(reasonNow, reason) ? Change.NONE
                : reason == null ? Change.HALTED
                : reasonNow == null ? Change.RESUMED
                : Change.REASON_CHANGED;
        return new Step(new Halting(reasonNow, retry, times), change, Optional.ofNullable(reason), booked);
    }

    /** The fault times of the window ending at {@code now}, with {@code now}'s. */
    private static List<Long> recent(List<Long> times, long now) {
        List<Long> kept = new ArrayList<>(times.size() + 1);
        kept.addAll(times);
        kept.add(now);
        kept.removeIf(t -> now - t > FAULT_WINDOW_NANOS);
        return kept;
    }
}
