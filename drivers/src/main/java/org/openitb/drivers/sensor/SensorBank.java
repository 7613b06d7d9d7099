package org.openitb.drivers.sensor;

import java.util.List;

/**
 * The binary inputs together: sampled, debounced and self-tested on the injected clock by
 * {@link #tick}, which a loop calls at the time it returns, or earlier when an edge arrives.
 */
public interface SensorBank {

    /** Samples every input and advances the self-test; returns when to tick next (monotonic ns), always after {@code nowNanos}. */
    long tick(long nowNanos);

    /** Every input, in configured order. */
    List<BinarySensor> sensors();

    /** The input named {@code name}. */
    BinarySensor sensor(String name);

    /** Called on the reporting thread at every raw edge, so a loop can tick at once instead of at its next poll. */
    void onEdge(Runnable wake);
}
