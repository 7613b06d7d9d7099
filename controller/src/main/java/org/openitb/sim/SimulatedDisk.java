package org.openitb.sim;

import java.util.OptionalLong;
import org.openitb.store.DiskSpace;

/** The simulated twin of the state directory's free space: plenty, until a test fills it. */
public final class SimulatedDisk implements DiskSpace {

    private volatile long freeMb;

    public SimulatedDisk(long freeMb) {
        setFreeMb(freeMb);
    }

    /** The free space from now on, MiB. */
    public void setFreeMb(long mb) {
        if (mb < 0) {
            throw new IllegalArgumentException("free space cannot be negative: " + mb + " MiB");
        }
        this.freeMb = mb;
    }

    @Override
    public OptionalLong freeMb() {
        return OptionalLong.of(freeMb);
    }
}
