package org.openitb.delivery;

/**
 * Where delivery events go: the seam that the write-ahead record, the reservoir, the journal and
 * the alarm supervisor consume. The calls come on the dose loop thread, so an implementation must
 * be quick and must never wait (not even {@link #beforeStep} for its disk).
 */
public interface DeliverySink {

    /**
     * Before microstep number {@code microstep} is emitted: asks the durable record to count it
     * (and what the plan reaches soon) as delivered, so after a crash nothing emitted is forgotten.
     * It never waits: a step the record does not cover yet goes out all the same and is counted in
     * {@link #writeAhead()} (a disk too slow for its bound must not hold back a dose).
     *
     * @param horizon the count the plan reaches {@link #reserveAheadNanos()} from now, at least
     *                {@code microstep}: the record may reserve ahead up to there, never beyond its
     *                configured bound, so what a crash leaves counted but not emitted stays bounded
     * @param renewBy the count the plan reaches {@link #renewAheadNanos()} from now: with less cover
     *                left than that, the record is asked again, so a commit lands before it runs out
     */
    void beforeStep(long microstep, long horizon, long renewBy);

    /** How far ahead (pump clock, ns) the record's cover must reach when it is asked again: about one and a half commits. */
    default long renewAheadNanos() {
        return 0;
    }

    /** After the last step of a batch: microsteps really emitted, for the journal and the supervisor. */
    void delivered(DeliveredBatch batch);

    /**
     * How far ahead of now (pump clock, ns) the record wants to reserve: enough to cover its own
     * recent commit latency, so the loop never catches up with it. The scheduler passes the plan's
     * count at that instant as the horizon of {@link #beforeStep}.
     */
    default long reserveAheadNanos() {
        return DoseScheduler.BATCH_MAX_NANOS;
    }

    /**
     * A new plan is followed from now: the record may reserve up to {@code through} at once (within
     * its bound), before the first step of the plan comes due. Never waits.
     */
    default void reserve(long through) {
    }

    /** How the record keeps up, for status, the journal and the alarms. */
    default WriteAheadHealth writeAhead() {
        return WriteAheadHealth.NONE;
    }

    /** A sink that keeps nothing, for tests of the scheduler alone. */
    DeliverySink NONE = new DeliverySink() {
        @Override
        public void beforeStep(long microstep, long horizon, long renewBy) {
        }

        @Override
        public void delivered(DeliveredBatch batch) {
        }
    };
}
