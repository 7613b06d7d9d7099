package org.openitb.drivers.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import java.util.Objects;
import java.util.function.Supplier;

/** An {@link OutputPin} on a Pi4J digital output; every Pi4J failure becomes a {@link GpioException}. */
public final class Pi4jOutputPin implements OutputPin {

    private final DigitalOutput output;
    private final int bcm;
    private final Supplier<String> injectedFault;
    private volatile Level level;

    public Pi4jOutputPin(DigitalOutput output, int bcm, Level initial) {
        this(output, bcm, initial, () -> null);
    }

    /** With {@code injectedFault}: a simulated twin's broken wire, non-null while every write is to fail with it. */
    Pi4jOutputPin(DigitalOutput output, int bcm, Level initial, Supplier<String> injectedFault) {
        this.output = Objects.requireNonNull(output, "output");
        this.bcm = bcm;
        this.level = Objects.requireNonNull(initial, "initial");
        this.injectedFault = Objects.requireNonNull(injectedFault, "injectedFault");
    }

    @Override
    public int bcm() {
        return bcm;
    }

    @Override
    public void set(Level level) {
        String injected = injectedFault.get();
        if (injected != null) {
            throw new GpioException("write " + level + " to BCM " + bcm + " (" + output.id() + ") failed: " + injected);
        }
        try {
            output.state(level.toPi4j());
        } catch (RuntimeException e) {
            throw new GpioException("write " + level + " to BCM " + bcm + " (" + output.id() + ") failed: " + e.getMessage(), e);
        }
        this.level = level;
    }

    @Override
    public Level level() {
        return level;
    }
}
