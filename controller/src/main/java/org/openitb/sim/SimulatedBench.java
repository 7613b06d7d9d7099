package org.openitb.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.openitb.clock.Clock;
import org.openitb.clock.Pace;
import org.openitb.config.PumpConfig;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.sensor.SensorBankSim;
import org.openitb.drivers.stepper.Direction;
import org.openitb.drivers.stepper.StepperSim;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/**
 * The plant behind the mock pins: a syringe whose plunger the microsteps push, a catheter with
 * compliance that can be occluded (then each microstep builds pressure until the pressure switch
 * trips), a reservoir level switch, the end-of-travel switch and a motor that can stall. It
 * reacts to the real driver's pulses and drives the real sensor inputs through their twins, so
 * the controller runs exactly the code it runs on the Pi.
 *
 * <p>The {@link Catheter} carries the syringe's solution to its tip. What reached the patient is
 * counted there, from the physics, not from the pump's own accounts: it is what a referee judges the
 * pump by. What leaves the tip onto the bench can go into a {@link Vessel} on a balance.
 */
public final class SimulatedBench {

    /** Pressure the occlusion switch trips at, kPa, and the lower pressure it releases at. */
    public static final double OCCLUSION_TRIP_KPA = 60;
    public static final double OCCLUSION_RELEASE_KPA = 40;
    /** Pressure one microstep adds against a blocked catheter, kPa: a stiff bench line trips on the third. */
    public static final double KPA_PER_MICROSTEP = 25;
    /** How fast pressure bleeds through an open catheter, s (exponential time constant). */
    public static final double RELIEF_SECONDS = 2;

    private final Clock clock;
    private final SensorBankSim sensors;
    private final long travelMicrosteps;
    private final long lowLevelMicrosteps;
    private final StepperSim stepper;

    private long plunger;
    private boolean occluded;
    private boolean stalled;
    private Optional<Boolean> reservoirSwitchOverride = Optional.empty();
    private Optional<Boolean> occlusionSwitchOverride = Optional.empty();
    private double pressureKpa;
    private long pressureAtNanos;
    private final Catheter catheter;
    private long syringeNgPerMl;
    private LongConsumer tip = nanos -> { };
    private volatile boolean frozen;
    private volatile long frozenUntilNanos;

    private SimulatedBench(Clock clock, SensorBankSim sensors, StepperSim stepper, long travelMicrosteps, long lowLevelMicrosteps,
            long catheterMicrosteps, long plPerMicrostep) {
        this.clock = clock;
        this.sensors = sensors;
        this.stepper = stepper;
        this.travelMicrosteps = travelMicrosteps;
        this.lowLevelMicrosteps = lowLevelMicrosteps;
        this.pressureAtNanos = clock.nanos();
        this.catheter = new Catheter(catheterMicrosteps, plPerMicrostep);
    }

    /** Attaches to the devices a {@link org.openitb.daemon.Pump} opened on the mock {@code gpio}: a full syringe, an open catheter. */
    public static SimulatedBench attach(Gpio gpio, PumpConfig config, Clock clock) {
        Objects.requireNonNull(gpio, "gpio");
        if (!gpio.isMock()) {
            throw new IllegalArgumentException("the simulated bench needs Pi4J's mock platform");
        }
        SimulatedBench bench = new SimulatedBench(clock, SensorBankSim.attach(gpio, config.sensors()),
                StepperSim.attach(gpio, config.stepper(), clock), config.mechanics().microstepsPerSyringe(),
                config.reservoir().switchLevel().picolitres() / config.mechanics().volumePerMicrostep().picolitres(),
                config.delivery().catheterVolume().picolitres() / config.mechanics().volumePerMicrostep().picolitres(),
                config.mechanics().volumePerMicrostep().picolitres());
        bench.stepper.onStep(bench::onStep);
        bench.refreshSwitches();
        return bench;
    }

    /** The operator refilled the syringe with {@code volume}: the plunger stands back by that much. */
    public synchronized void refill(Volume volume, Volume perMicrostep) {
        plunger = Math.max(0, travelMicrosteps - volume.picolitres() / perMicrostep.picolitres());
        refreshSwitches();
    }

    /** As {@link #refill(Volume, Volume)}, with what the syringe now holds. */
    public synchronized void refill(Volume volume, Volume perMicrostep,
            Concentration concentration) {
        syringeNgPerMl = concentration.nanogramsPerMl();
        refill(volume, perMicrostep);
    }

    /** A new catheter: empty, so the first microsteps fill it and nothing reaches the patient until it is full. */
    public synchronized void emptyCatheter() {
        catheter.empty();
    }

    /** Connects the catheter to the patient, or takes it off (a priming onto the bench). */
    public synchronized void connectCatheter(boolean on) {
        catheter.connect(on);
    }

    public synchronized boolean catheterConnected() {
        return catheter.connected();
    }

    /** The catheter's volume not yet filled, pL. */
    public synchronized long catheterEmptyPl() {
        return catheter.emptyPl();
    }

    /** Drug that has left the catheter's tip into the patient so far, in ng (to 10^-9). */
    public synchronized BigDecimal drugToPatientNg() {
        return catheter.drugToPatientNg();
    }

    /**
     * Calls {@code listener} with the time (monotonic ns) each microstep leaves the catheter's tip,
     * under the bench's lock: a vessel on a balance collects them.
     */
    public synchronized void onTipOut(LongConsumer listener) {
        tip = Objects.requireNonNull(listener, "listener");
    }

    /** Calls {@code listener} with the time of each microstep's rising edge on STEP, on the stepping thread: a probe for benchmarks. */
    public void onMicrostep(LongConsumer listener) {
        stepper.onRise(listener);
    }

    /**
     * Forces the occlusion pressure switch closed or open whatever the pressure (a switch stuck, or
     * a test tripping it at a known instant), or lets it follow the pressure again.
     */
    public synchronized void occlusionSwitch(Optional<Boolean> tripped) {
        occlusionSwitchOverride = Objects.requireNonNull(tripped, "tripped");
        refreshSwitches();
    }

    /** Blocks the catheter: pressure builds with each microstep until the occlusion switch trips. */
    public synchronized void occlude(boolean on) {
        relax();
        occluded = on;
        refreshSwitches();
    }

    /** Stalls the motor: the driver raises its fault line and pulses no longer move the plunger. */
    public synchronized void stall(boolean on) {
        stalled = on;
        refreshSwitches();
    }

    /** Forces the reservoir level switch (a stuck float, a refill error), or lets it follow the level again. */
    public synchronized void reservoirSwitch(Optional<Boolean> low) {
        reservoirSwitchOverride = Objects.requireNonNull(low, "low");
        refreshSwitches();
    }

    /**
     * Freezes one input whatever its switch does: stuck reading "present" ({@code true}), stuck
     * reading "absent" ({@code false}, a fault that hides the condition), or free again (empty).
     */
    public synchronized void stick(String sensor, Optional<Boolean> readsPresent) {
        Objects.requireNonNull(readsPresent, "readsPresent");
        var input = sensors.sensor(sensor);
        readsPresent.ifPresentOrElse(present -> {
            if (present) {
                input.stickActive();
            } else {
                input.stickInactive();
            }
        }, input::unstick);
    }

    /** Whether {@code sensor}'s input reads "condition present" now, as the controller would read it. */
    public synchronized boolean inputActive(String sensor) {
        return sensors.sensor(sensor).readsActive();
    }

    /** A burst of contact bounce on one input, more edges than a switch makes. */
    public synchronized void chatter(String sensor, int edges) {
        sensors.sensor(sensor).chatter(edges);
    }

    /**
     * A hung controller: the dose loop's next pass stops for {@code simulated} of the pump's time, as
     * a deadlock or a stuck system call would stop it. What should notice: the motor watchdog, which
     * disables the driver, and the systemd watchdog, which is no longer fed.
     */
    public void freezeDoseLoop(Duration simulated) {
        frozenUntilNanos = clock.nanos() + simulated.toNanos();
        frozen = true;
    }

    /**
     * Called by the dose loop at the top of each pass, never holding the bench's lock: parks through
     * an asked-for freeze. Returns the time to tick at: {@code now}, or the time after the freeze.
     */
    public long holdIfFrozen(long now, Pace pace) {
        if (!frozen) {
            return now;
        }
        pace.release(); // a hung loop holds no simulated clock back
        long until = frozenUntilNanos;
        while (clock.nanos() - until < 0) {
            clock.parkUntil(until);
        }
        frozen = false;
        return clock.nanos();
    }

    /** Lets pressure bleed off over time; returns when it wants to be called again (monotonic ns). */
    public synchronized long tick(long nowNanos) {
        relax();
        refreshSwitches();
        // Pressure only bleeds off through an open line: watched closely then, once a second otherwise.
        return pressureKpa > 1 && !occluded ? nowNanos + 100_000_000L : nowNanos + 1_000_000_000L;
    }

    /** The bench's time now (the pump's clock): when a fault injected now took effect. */
    public Instant now() {
        return clock.instant();
    }

    public synchronized long plungerMicrosteps() {
        return plunger;
    }

    public synchronized long travelMicrosteps() {
        return travelMicrosteps;
    }

    public synchronized double pressureKpa() {
        relax();
        return pressureKpa;
    }

    /**
     * The catheter as another plant left it (the same bench under a restarted pump): its contents, its
     * connection, what the syringe holds and what reached the patient so far.
     */
    public synchronized void carryOver(SimulatedBench previous) {
        synchronized (previous) {
            catheter.carryOver(previous.catheter);
            syringeNgPerMl = previous.syringeNgPerMl;
        }
    }

    /** Microsteps' worth of volume that left the catheter's tip into the patient (occluded steps are held back as pressure). */
    public synchronized long deliveredToPatient() {
        return catheter.toPatient();
    }

    public synchronized boolean occluded() {
        return occluded;
    }

    public synchronized boolean stalled() {
        return stalled;
    }

    private synchronized void onStep(Direction direction) {
        if (stalled) {
            return;
        }
        long before = plunger;
        plunger = Math.max(0, Math.min(travelMicrosteps, plunger + direction.sign()));
        if (plunger != before && direction == Direction.FORWARD) {
            relax();
            if (occluded) {
                pressureKpa += KPA_PER_MICROSTEP;
            } else if (catheter.push(syringeNgPerMl)) {
                tip.accept(clock.nanos());
            }
        }
        refreshSwitches();
    }


    /** Exponential relief through an open catheter since the last update. */
    private void relax() {
        long now = clock.nanos();
        double seconds = (now - pressureAtNanos) / 1e9;
        pressureAtNanos = now;
        if (!occluded && pressureKpa > 0) {
            pressureKpa *= Math.exp(-seconds / RELIEF_SECONDS);
            if (pressureKpa < 0.01) {
                pressureKpa = 0;
            }
        }
    }

    private void refreshSwitches() {
        boolean tripped = sensors.sensor("occlusion").conditionPresent();
        boolean occlusionSwitch = tripped ? pressureKpa >= OCCLUSION_RELEASE_KPA : pressureKpa >= OCCLUSION_TRIP_KPA;
        set("occlusion", occlusionSwitchOverride.orElse(occlusionSwitch));
        set("end-of-travel", plunger >= travelMicrosteps);
        set("reservoir-low", reservoirSwitchOverride.orElse(travelMicrosteps - plunger <= lowLevelMicrosteps));
        set("stall", stalled);
    }

    private void set(String sensor, boolean present) {
        if (sensors.sensor(sensor).conditionPresent() != present) {
            sensors.sensor(sensor).set(present);
        }
    }
}
