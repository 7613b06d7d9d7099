package org.openitb.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Objects;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.clock.Clock;
import org.openitb.config.PumpConfig;
import org.openitb.control.BenchFault;
import org.openitb.drivers.balance.Balance;
import org.openitb.drivers.balance.BalanceException;
import org.openitb.drivers.balance.BalanceReading;
import org.openitb.drivers.balance.BalanceServer;
import org.openitb.drivers.balance.BalanceSim;
import org.openitb.drivers.balance.PtyPair;
import org.openitb.drivers.balance.SerialBalance;
import org.openitb.sim.SimulatedBench;
import org.openitb.sim.Vessel;

/**
 * The simulated bench's balance: a vessel under the catheter's tip (what left the tip, through the
 * line's compliance, less what evaporated) on a simulated balance served on one end of a socat
 * pseudo-terminal pair, the pump's own serial driver on the other end: a test on the simulated
 * bench goes through the same serial path as on a real one. The {@code sim} verb sets the plant's
 * error, the evaporation, the noise and the balance's faults; each holds for the test under way
 * and the next ones.
 */
final class BenchBalance {

    /** The empty vessel, g. */
    static final double TARE_G = 50;
    /** Water at 20 C, g/mL: what the analysis assumes unless told otherwise. */
    static final double DENSITY_G_PER_ML = 0.998;
    /** The simulated balance's noise is drawn from this seed, so a run can be played again. */
    static final long SEED = 23;
    /** A balance that prints on its own prints this often (real time: the line is real). */
    static final Duration PRINT_INTERVAL = Duration.ofMillis(100);

    private final SimulatedBench bench;
    private final Clock clock;
    private final Clock real;
    private final Path dir;
    private final double calibratedUl;
    private double plantErrorPercent;
    private double evaporationMgPerHour;
    private double noiseG;
    private BenchFault.BalanceMode mode = BenchFault.BalanceMode.OK;
    private Vessel vessel;
    private BalanceSim sim;

    /** The balance of {@code bench} (whose clock is {@code clock}), its line made in {@code dir}; {@code calibratedUl} is the pump's microstep. */
    BenchBalance(SimulatedBench bench, Clock clock, Clock real, Path dir, double calibratedUl) {
        this.bench = Objects.requireNonNull(bench, "bench");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.real = Objects.requireNonNull(real, "real");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.calibratedUl = calibratedUl;
    }

    /** The balance of {@code bench}, its line made beside the pump's memory (not among the test records). */
    static BenchBalance on(SimulatedBench bench, PumpConfig config, Clock clock, Clock real) {
        return new BenchBalance(bench, clock, real, config.stateDir().resolve("balance-line"),
                config.mechanics().volumePerMicrostep().picolitres() / 1e6);
    }

    /**
     * The vessel on the pan (empty, or for a resumed test as heavy as its last weight: the vessel
     * kept what it held while the daemon was down) and a balance as {@code settings} say on a new
     * line; returns the pump's end of it, which closes the line with it.
     */
    synchronized Balance open(AccuracySettings settings, Optional<BigDecimal> lastGrams) {
        long now = clock.nanos();
        vessel = new Vessel(lastGrams.map(BigDecimal::doubleValue).orElse(TARE_G), DENSITY_G_PER_ML, strokeUl(), evaporationMgPerHour, now);
        bench.onTipOut(vessel::tipOut);
        Vessel weighed = vessel;
        sim = new BalanceSim(settings.balance().protocol(), settings.balance().readability(), () -> weighed.grams(clock.nanos()), noiseG, SEED);
        apply(mode);
        PtyPair line;
        try {
            Files.createDirectories(dir);
            line = new PtyPair(dir, real);
        } catch (IOException e) {
            throw new BalanceException("the simulated balance has no serial line: " + e.getMessage());
        }
        BalanceServer server = null;
        try {
            server = BalanceServer.start(line.balance().toString(), sim, real, PRINT_INTERVAL);
            SerialBalance serial = SerialBalance.open(settings.balance().onPort(line.pump().toString()));
            return new Line(serial, server, line);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            line.close();
            throw e;
        }
    }

    /** Plays a balance fault of the {@code sim} verb. */
    synchronized void play(BenchFault fault) {
        long now = clock.nanos();
        switch (fault) {
            case BenchFault.Balance b -> apply(b.mode());
            case BenchFault.PlantError p -> {
                plantErrorPercent = p.percent();
                if (vessel != null) {
                    vessel.microstepUl(now, strokeUl());
                }
            }
            case BenchFault.Evaporation e -> {
                evaporationMgPerHour = e.mgPerHour();
                if (vessel != null) {
                    vessel.evaporation(now, evaporationMgPerHour);
                }
            }
            case BenchFault.Noise n -> {
                noiseG = n.mg() / 1_000;
                if (sim != null) {
                    sim.noise(noiseG);
                }
            }
            default -> throw new IllegalArgumentException(fault.words() + " is not a balance fault");
        }
    }

    private void apply(BenchFault.BalanceMode m) {
        mode = m;
        if (sim != null) {
            sim.silent(m == BenchFault.BalanceMode.SILENT);
            sim.garbage(m == BenchFault.BalanceMode.GARBAGE);
            sim.overload(m == BenchFault.BalanceMode.OVERLOAD);
            sim.unsettled(m == BenchFault.BalanceMode.UNSETTLED);
        }
    }

    /** What one microstep truly pushes, uL: the calibration, off by the plant's error. */
    private double strokeUl() {
        return calibratedUl * (1 + plantErrorPercent / 100);
    }

    /** The pump's end of the line, closing the simulated balance and the line with it. */
    private record Line(SerialBalance serial, BalanceServer server, PtyPair pty) implements Balance {
        @Override
        public BalanceReading read() {
            return serial.read();
        }

        @Override
        public void close() {
            try {
                serial.close();
            } finally {
                server.close();
                pty.close();
            }
        }
    }
}
