package org.openitb.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The delivery mark row as written: the microsteps that may have been emitted (the write-ahead
 * mark), and the last heartbeat on the pump's clock and on the real clock.
 */
public record DeliveryMark(long microsteps, Instant heartbeat, Instant heartbeatReal) {
    public DeliveryMark {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(heartbeatReal, "heartbeatReal");
    }
}
