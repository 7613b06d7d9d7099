package org.openitb.delivery;

/**
 * Where delivery events go: the seam that the write-ahead record, the reservoir, the journal and
 * the alarm supervisor consume. Both calls come on the dose loop thread, so an implementation must
 * be quick; only {@link #beforeStep} may wait, and only for its write-ahead record.
 */
public interface DeliverySink {

    /**
     * Before microstep number {@code microstep} is emitted: returns once the durable record
     * counts it as delivered (write-ahead), so after a crash nothing emitted is forgotten.
     *
     * @param horizon the count the plan reaches one batch time ({@link DoseScheduler#BATCH_MAX_NANOS})
     *                from now, at least {@code microstep}: the record may reserve ahead up to there,
     *                so what a crash leaves counted but not emitted stays within one batch in steps and in time
     */
    void beforeStep(long microstep, long horizon);

    /** After the last step of a batch: microsteps really emitted, for the journal and the supervisor. */
    void delivered(DeliveredBatch batch);

    /** A sink that keeps nothing, for tests of the scheduler alone. */
    DeliverySink NONE = new DeliverySink() {
        @Override
        public void beforeStep(long microstep, long horizon) {
        }

        @Override
        public void delivered(DeliveredBatch batch) {
        }
    };
}
