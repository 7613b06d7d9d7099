package org.openitb.drivers.sensor;

/** A debounced binary input that watches one condition and reports whether it can be believed. */
public interface BinarySensor {

    /** Its configured name, e.g. {@code occlusion}. */
    String name();

    /** Debounced: true while the watched condition is present. Holds its last believable value during a fault or self-test. */
    boolean active();

    /** Whether the input is healthy; a fault is never silently ignored. */
    SensorHealth health();

    /** Raw edges the hardware reported since start, for diagnostics. */
    long rawEdges();
}
