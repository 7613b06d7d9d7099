package org.openitb.drivers.annunciator;

import java.util.Optional;

/**
 * The local alarm signals (light and sound), driven by priority. One loop thread calls
 * {@link #show} and {@link #tick}; an annunciator that cannot drive its pins says so through
 * {@link #fault()}, because an alarm system that cannot sound is itself an alarm.
 */
public interface Annunciator {

    /**
     * Shows {@code priority}'s pattern. Showing the priority already shown does not restart it;
     * {@code audible} false keeps the light and silences the sound (an acknowledged alarm).
     */
    void show(Priority priority, boolean audible, long nowNanos);

    /** Drives the outputs for {@code nowNanos}; returns when the pattern next changes (monotonic ns). */
    long tick(long nowNanos);

    /** The priority shown. */
    Priority priority();

    /** Whether sound is on for the shown priority. */
    boolean audible();

    /** Why the outputs cannot be driven, if they cannot. */
    Optional<String> fault();
}
