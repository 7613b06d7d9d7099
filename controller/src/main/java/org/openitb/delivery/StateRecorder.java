package org.openitb.delivery;

import java.util.Optional;

/**
 * Keeps what the pump must remember: the latest {@link DurableState} (a newer one replaces an
 * older one not yet written), and the health of that keeping. Called on the dose loop thread; an
 * implementation must not block it.
 */
public interface StateRecorder {

    void record(DurableState state);

    /** Empty while state is being kept; otherwise why not (a full disk, a read-only file system). */
    Optional<String> failure();

    /** Keeps nothing, for tests of delivery alone. */
    StateRecorder NONE = new StateRecorder() {
        @Override
        public void record(DurableState state) {
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }
    };
}
