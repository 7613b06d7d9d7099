package org.openitb.drivers.stepper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.openitb.clock.Clock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;

/**
 * Simulated twin of the stepper: it watches the STEP, DIR, ENABLE and select pins as the chip
 * would, timestamps every edge on the injected clock, and tells plant models about each microstep
 * the motor really takes (a pulse while disabled moves nothing). Levels are tracked from the pin
 * events themselves, so the twin still sees the shutdown levels after GPIO has closed.
 */
public final class StepperSim {

    /** How many pulses {@link #recentPulses()} keeps. */
    public static final int PULSE_HISTORY_LIMIT = 4096;

    /**
     * One STEP pulse as the chip saw it.
     *
     * @param riseNanos          when STEP went high
     * @param fallNanos          when STEP went low again
     * @param direction          DIR at the rising edge
     * @param enabled            whether ENABLE was active at the rising edge
     * @param lowBeforeNanos     STEP low time before this pulse (since the previous fall)
     * @param dirSetupNanos      time since DIR last changed
     * @param enableSetupNanos   time since ENABLE last became active
     */
    public record Pulse(long riseNanos, long fallNanos, Direction direction, boolean enabled,
            long lowBeforeNanos, long dirSetupNanos, long enableSetupNanos) {
        public long highNanos() {
            return fallNanos - riseNanos;
        }
    }

    private final StepperConfig config;
    private final Clock clock;
    private final ArrayDeque<Pulse> history = new ArrayDeque<>();
    private final List<Consumer<Direction>> stepListeners = new CopyOnWriteArrayList<>();
    /** An array, replaced on each registration: called without an iterator, a probe sees the edge before anything is allocated. */
    private volatile LongConsumer[] riseListeners = new LongConsumer[0];

    private long pulses;
    private long pulsesWhileDisabled;
    private long position;
    private long holdViolations;
    private boolean stepHigh;
    private long riseNanos = Long.MIN_VALUE / 2;
    private long lastFallNanos = Long.MIN_VALUE / 2;
    private long dirChangedNanos = Long.MIN_VALUE / 2;
    private long enabledSinceNanos = Long.MIN_VALUE / 2;
    private Direction riseDirection;
    private boolean riseEnabled;
    private Level stepLevel;
    private Level dirLevel;
    private Level enableLevel;
    private final Level[] select;

    private StepperSim(StepperConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.select = new Level[config.chip().selectPins().size()];
    }

    /** Attaches to the pins a {@link Pi4jStepperDriver} opened on {@code gpio}. */
    public static StepperSim attach(Gpio gpio, StepperConfig config, Clock clock) {
        Objects.requireNonNull(gpio, "gpio");
        StepperSim sim = new StepperSim(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
        synchronized (sim) {
            sim.stepLevel = gpio.outputLevel(StepperPins.STEP_ID);
            sim.dirLevel = gpio.outputLevel(StepperPins.DIR_ID);
            sim.enableLevel = gpio.outputLevel(StepperPins.ENABLE_ID);
            for (int i = 0; i < sim.select.length; i++) {
                int index = i;
                sim.select[i] = gpio.outputLevel(StepperPins.selectId(config.chip(), i));
                gpio.watchOutput(StepperPins.selectId(config.chip(), i), level -> sim.onSelectLevel(index, level));
            }
            if (sim.enabled()) {
                sim.enabledSinceNanos = clock.nanos();
            }
        }
        gpio.watchOutput(StepperPins.STEP_ID, sim::onStepLevel);
        gpio.watchOutput(StepperPins.DIR_ID, sim::onDirLevel);
        gpio.watchOutput(StepperPins.ENABLE_ID, sim::onEnableLevel);
        return sim;
    }

    /** Called on the stepping thread for each microstep the motor takes (enabled pulses only). */
    public void onStep(Consumer<Direction> listener) {
        stepListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Called on the stepping thread with the time of each microstep's rising edge (enabled pulses
     * only), read before the twin does anything else with the edge: a logic analyser on STEP.
     */
    public void onRise(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            LongConsumer[] more = Arrays.copyOf(riseListeners, riseListeners.length + 1);
            more[riseListeners.length] = listener;
            riseListeners = more;
        }
    }

    /** Rising edges on STEP since attach. */
    public synchronized long pulses() {
        return pulses;
    }

    /** Pulses the chip ignored because ENABLE was inactive. */
    public synchronized long pulsesWhileDisabled() {
        return pulsesWhileDisabled;
    }

    /** Microsteps the motor took, forward positive. */
    public synchronized long position() {
        return position;
    }

    /** DIR changes sooner after a STEP rising edge than the chip's hold time: each one is a timing violation. */
    public synchronized long holdViolations() {
        return holdViolations;
    }

    /** The last {@value #PULSE_HISTORY_LIMIT} completed pulses, oldest first. */
    public synchronized List<Pulse> recentPulses() {
        return new ArrayList<>(history);
    }

    /** Whether ENABLE is at its active level. */
    public synchronized boolean enabled() {
        return enableLevel == config.enableActive();
    }

    /** STEP level now. */
    public synchronized Level stepLevel() {
        return stepLevel;
    }

    /** ENABLE level now, before polarity is applied. */
    public synchronized Level enableLevel() {
        return enableLevel;
    }

    /** DIR level now. */
    public synchronized Level dirLevel() {
        return dirLevel;
    }

    /** DIR as a direction. */
    public synchronized Direction direction() {
        return dirLevel == config.forwardLevel() ? Direction.FORWARD : Direction.REVERSE;
    }

    /** Levels on the select pins, in the chip's table order. */
    public synchronized List<Level> selectLevels() {
        return List.of(select);
    }

    /** Microstepping the chip reads from its select pins, empty for a combination it does not use. */
    public Optional<Integer> microstepSetting() {
        return config.chip().decode(selectLevels());
    }

    private void onStepLevel(Level level) {
        long now = clock.nanos();
        Direction tookStep = null;
        synchronized (this) {
            stepLevel = level;
            if (level == Level.HIGH && !stepHigh) {
                stepHigh = true;
                riseNanos = now;
                riseDirection = direction();
                riseEnabled = enabled();
                pulses++;
                if (riseEnabled) {
                    position += riseDirection.sign();
                    tookStep = riseDirection;
                } else {
                    pulsesWhileDisabled++;
                }
            } else if (level == Level.LOW && stepHigh) {
                stepHigh = false;
                if (history.size() == PULSE_HISTORY_LIMIT) {
                    history.removeFirst();
                }
                history.addLast(new Pulse(riseNanos, now, riseDirection, riseEnabled, riseNanos - lastFallNanos,
                        riseNanos - dirChangedNanos, riseNanos - enabledSinceNanos));
                lastFallNanos = now;
            }
        }
        if (tookStep != null) {
            for (LongConsumer listener : riseListeners) {
                listener.accept(now);
            }
            for (Consumer<Direction> listener : stepListeners) {
                listener.accept(tookStep);
            }
        }
    }

    private synchronized void onDirLevel(Level level) {
        dirLevel = level;
        long now = clock.nanos();
        dirChangedNanos = now;
        if (now - riseNanos < config.chip().holdNanos()) {
            holdViolations++;
        }
    }

    private synchronized void onSelectLevel(int index, Level level) {
        select[index] = level;
    }

    private synchronized void onEnableLevel(Level level) {
        enableLevel = level;
        if (level == config.enableActive()) {
            enabledSinceNanos = clock.nanos();
        }
    }
}
