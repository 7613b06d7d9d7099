package org.openitb.drivers.gpio;

/** A digital output as devices use it: write a level, read back what was written. */
public interface OutputPin {
    /** BCM number of the pin. */
    int bcm();

    /** Drives the pin; throws {@link GpioException} when the write fails. */
    void set(Level level);

    /** The level last written. */
    Level level();
}
