package org.openitb.drivers.gpio;

/** A digital input as devices use it: read the raw level, count the edges the hardware reported. */
public interface InputPin {
    /** BCM number of the pin. */
    int bcm();

    /** The raw level now; throws {@link GpioException} when it cannot be read. */
    Level read();

    /** Edges reported since the pin was opened; a glitch between two reads still shows up here. */
    long edges();

    /** Called on the reporting thread at every edge (for example to wake a polling loop early). */
    void onEdge(Runnable listener);
}
