package org.openitb.reservoir;

import java.util.Objects;
import java.util.Optional;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/**
 * Volume accounting of the syringe from delivered microsteps: what is left, and of which
 * concentration. Exact to the picolitre; confined to the dose loop thread.
 */
public final class Reservoir {

    private final Volume capacity;
    private long remainingPl;
    private Concentration concentration;

    /** A syringe holding {@code fill} of {@code concentration} (unknown until a refill declares it). */
    public Reservoir(Volume capacity, Volume fill, Optional<Concentration> concentration) {
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        if (fill.compareTo(capacity) > 0) {
            throw new IllegalArgumentException("a fill of " + fill + " is more than the capacity " + capacity);
        }
        this.remainingPl = fill.picolitres();
        this.concentration = concentration.orElse(null);
    }

    public Volume capacity() {
        return capacity;
    }

    public Volume remaining() {
        return new Volume(remainingPl);
    }

    public Optional<Concentration> concentration() {
        return Optional.ofNullable(concentration);
    }

    /** The syringe now holds {@code volume} of {@code concentration}: what was left in it was drawn off first. */
    public void refill(Volume volume, Concentration concentration) {
        if (volume.compareTo(capacity) > 0) {
            throw new IllegalArgumentException("a refill of " + volume + " is more than the capacity " + capacity);
        }
        this.remainingPl = volume.picolitres();
        this.concentration = Objects.requireNonNull(concentration, "concentration");
    }

    /** Puts back what a previous run recorded (within the capacity). */
    public void restore(Volume remaining, Optional<Concentration> held) {
        this.remainingPl = Math.min(remaining.picolitres(), capacity.picolitres());
        this.concentration = held.orElse(null);
    }

    /** Takes out what {@code microsteps} of {@code perMicrostep} pushed; never below empty. */
    public void deliver(long microsteps, Volume perMicrostep) {
        long taken = Math.multiplyExact(microsteps, perMicrostep.picolitres());
        remainingPl = Math.max(0, remainingPl - taken);
    }

    /** Whether less than one microstep is left. */
    public boolean empty(Volume perMicrostep) {
        return remainingPl < perMicrostep.picolitres();
    }
}
