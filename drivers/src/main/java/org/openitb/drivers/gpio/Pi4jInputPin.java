package org.openitb.drivers.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link InputPin} on a Pi4J digital input, counting edges from Pi4J's change events. */
public final class Pi4jInputPin implements InputPin {

    private final DigitalInput input;
    private final int bcm;
    private final AtomicLong edges = new AtomicLong();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    public Pi4jInputPin(DigitalInput input, int bcm) {
        this.input = Objects.requireNonNull(input, "input");
        this.bcm = bcm;
        input.addListener(event -> {
            edges.incrementAndGet();
            for (Runnable listener : listeners) {
                listener.run();
            }
        });
    }

    @Override
    public int bcm() {
        return bcm;
    }

    @Override
    public Level read() {
        try {
            return Level.fromPi4j(input.state());
        } catch (RuntimeException e) {
            throw new GpioException("read of BCM " + bcm + " (" + input.id() + ") failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long edges() {
        return edges.get();
    }

    @Override
    public void onEdge(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
