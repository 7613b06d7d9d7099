package org.openitb.drivers.annunciator;

import java.util.Optional;

/**
 * The local alarm signals (light and sound), driven by priority. One loop thread calls
 * {@link #show} and {@link #tick}; an annunciator that cannot drive its pins says so through
 * {@link #fault()}, because an alarm system that cannot sound is itself an alarm.
 */
public interface Annunciator {

    /**
     * Shows {@code light}'s pattern on the light and sounds {@code sound}'s (NONE: quiet). As IEC
     * 60601-1-8 has it, the light follows the highest alarm active and the sound the highest one
     * not silenced, so an acknowledged high alarm and a new medium one flash high and sound medium.
     * Showing a priority already shown does not restart its pattern.
     */
    void show(Priority light, Priority sound, long nowNanos);

    /** Drives the outputs for {@code nowNanos}; returns when a pattern next changes (monotonic ns). */
    long tick(long nowNanos);

    /** The priority the light shows. */
    Priority priority();

    /** The priority the sound follows (NONE while quiet). */
    Priority sound();

    /** Why the outputs cannot be driven, if they cannot. */
    Optional<String> fault();
}
