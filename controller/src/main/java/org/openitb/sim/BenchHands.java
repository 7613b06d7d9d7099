package org.openitb.sim;

import java.util.Objects;
import java.util.function.Consumer;
import org.openitb.config.PumpConfig;
import org.openitb.journal.TherapyEvent;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/**
 * On the simulated bench, the operator's hands: what a person does physically before telling the
 * pump (refilling the syringe) is done to the plant when the pump records it. Off the bench it
 * does nothing but pass events on.
 */
public final class BenchHands {

    private final Volume perMicrostep;
    private volatile SimulatedBench bench;

    public BenchHands(PumpConfig config) {
        this.perMicrostep = config.mechanics().volumePerMicrostep();
    }

    public void attach(SimulatedBench bench) {
        this.bench = Objects.requireNonNull(bench, "bench");
    }

    /** A listener that acts on the bench, then hands each event to {@code next}. */
    public Consumer<TherapyEvent> then(Consumer<TherapyEvent> next) {
        return event -> {
            SimulatedBench plant = bench;
            if (plant != null && event.type().equals("refilled")) {
                plant.refill(Volume.parse(String.valueOf(event.details().get("volume"))), perMicrostep,
                        Concentration.parse(String.valueOf(event.details().get("concentration"))));
            }
            next.accept(event);
        };
    }
}
