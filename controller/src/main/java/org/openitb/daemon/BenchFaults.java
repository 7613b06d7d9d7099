package org.openitb.daemon;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.openitb.control.BenchFault;
import org.openitb.control.FaultInjector;
import org.openitb.sim.SimulatedBench;

/** The {@code sim} verb's faults played on the simulated bench: the one place the socket meets the simulator. */
public final class BenchFaults implements FaultInjector {

    /** Edges in one {@code sim chatter} burst: enough to trip the chatter filter many times over. */
    static final int CHATTER_EDGES = 24;

    private final SimulatedBench plant;
    private final Optional<BenchBalance> balance;
    private final long speed;

    /** {@code speed} is the simulation's: a freeze is given in real time and played in simulated time. The bench has no balance. */
    public BenchFaults(SimulatedBench plant, long speed) {
        this(plant, Optional.empty(), speed);
    }

    BenchFaults(SimulatedBench plant, Optional<BenchBalance> balance, long speed) {
        this.plant = Objects.requireNonNull(plant, "plant");
        this.balance = Objects.requireNonNull(balance, "balance");
        this.speed = speed;
    }

    @Override
    public Instant inject(BenchFault fault) {
        Instant at = plant.now(); // read before the fault, so anything timed from it is timed conservatively
        if (fault.onTheBalance()) {
            balance.orElseThrow(() -> new IllegalStateException("this bench has no balance")).play(fault);
            return at;
        }
        switch (fault) {
            case BenchFault.Occlusion o -> plant.occlude(o.on());
            case BenchFault.Stall s -> plant.stall(s.on());
            case BenchFault.ReservoirSwitch r -> plant.reservoirSwitch(r.low());
            case BenchFault.Chatter c -> plant.chatter(c.reservoir() ? "reservoir-low" : "occlusion", CHATTER_EDGES);
            // Real time, whatever the speed: it stands for a hung controller, which systemd's watchdog times in real time.
            case BenchFault.Freeze f -> plant.freezeDoseLoop(f.hang().multipliedBy(speed));
            default -> throw new IllegalArgumentException(fault.words() + " is played on the balance");
        }
        return at;
    }
}
