package org.openitb.delivery;

/**
 * Where delivery events go: the seam that the reservoir, the journal and the alarm supervisor
 * consume. Both calls come on the dose loop thread, so an implementation must be quick and must
 * not block on anything slower than a local write.
 */
public interface DeliverySink {

    /** Before the first step of a batch; returns once the intent is recorded. */
    void intend(BatchIntent intent);

    /** After the last step of a batch. */
    void delivered(DeliveredBatch batch);

    /** A sink that keeps nothing, for tests of the scheduler alone. */
    DeliverySink NONE = new DeliverySink() {
        @Override
        public void intend(BatchIntent intent) {
        }

        @Override
        public void delivered(DeliveredBatch batch) {
        }
    };
}
