package org.openitb.drivers.stepper;

import java.util.Objects;
import java.util.Optional;
import org.openitb.clock.Clock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.GpioException;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;
import org.tinylog.Logger;

/**
 * The stepper on real (or Pi4J mock) pins. Timing minimums are honoured by spinning on the
 * injected clock; a failed pin write drives the safe state and latches a fault.
 *
 * <p>Why a double check in {@link #enable()}: {@link #safeState} runs unlocked from the watchdog
 * thread, so enable re-reads the fault flag after writing ENABLE and undoes its own write if a
 * fault landed in between. Whatever the interleaving, a latched fault ends with ENABLE inactive.
 */
public final class Pi4jStepperDriver implements StepperDriver {

    private final StepperPins pins;
    private final StepperConfig config;
    private final StepperChip chip;
    private final Clock clock;

    private volatile String fault;
    private volatile boolean enabled;
    private volatile long position;
    private Direction direction = Direction.FORWARD;
    private long earliestRiseNanos;
    private long lastRiseNanos;

    public Pi4jStepperDriver(StepperPins pins, StepperConfig config, Clock clock) {
        this.pins = Objects.requireNonNull(pins, "pins");
        this.config = Objects.requireNonNull(config, "config");
        this.chip = config.chip();
        this.clock = Objects.requireNonNull(clock, "clock");
        long now = clock.nanos();
        // The select pins and DIR were just written: the first pulse waits out their setup time.
        this.earliestRiseNanos = now + chip.setupNanos();
        this.lastRiseNanos = now - chip.holdNanos();
    }

    /** Opens the pins of {@code config} on {@code gpio} and builds the driver on them. */
    public static Pi4jStepperDriver open(Gpio gpio, StepperConfig config, Clock clock) {
        return new Pi4jStepperDriver(StepperPins.open(gpio, config), config, clock);
    }

    @Override
    public StepperChip chip() {
        return chip;
    }

    @Override
    public int microsteps() {
        return config.microsteps();
    }

    @Override
    public void enable() {
        requireNoFault();
        if (enabled) {
            return;
        }
        write(pins.enable(), config.enableActive(), "ENABLE");
        if (fault != null) {
            drive(pins.enable(), config.enableActive().opposite());
            throw new MotorFaultException(fault);
        }
        enabled = true;
        earliestRiseNanos = Math.max(earliestRiseNanos, clock.nanos() + chip.enableSetupNanos());
    }

    @Override
    public void disable() {
        enabled = false;
        write(pins.enable(), config.enableActive().opposite(), "ENABLE");
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void direction(Direction direction) {
        Objects.requireNonNull(direction, "direction");
        requireNoFault();
        if (direction == this.direction) {
            return;
        }
        clock.spinUntil(lastRiseNanos + chip.holdNanos());
        write(pins.dir(), config.dirLevel(direction), "DIR");
        this.direction = direction;
        earliestRiseNanos = Math.max(earliestRiseNanos, clock.nanos() + chip.setupNanos());
    }

    @Override
    public Direction direction() {
        return direction;
    }

    // One writer (the dose loop) and readers elsewhere: the position's non-atomic increment is safe.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    @Override
    public void step() {
        requireNoFault();
        if (!enabled) {
            throw new IllegalStateException("step requested while the driver is disabled");
        }
        clock.spinUntil(earliestRiseNanos);
        write(pins.step(), Level.HIGH, "STEP");
        long rise = clock.nanos();
        lastRiseNanos = rise;
        clock.spinUntil(rise + chip.minStepHighNanos());
        write(pins.step(), Level.LOW, "STEP");
        earliestRiseNanos = clock.nanos() + chip.minStepLowNanos();
        position += direction.sign();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void safeState(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (fault == null) {
            fault = reason;
            Logger.error("stepper safe state: {}", reason);
        }
        enabled = false;
        drive(pins.enable(), config.enableActive().opposite());
        drive(pins.step(), Level.LOW);
    }

    @Override
    public Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    @Override
    public void rearm(String by) {
        if (fault != null) {
            Logger.warn("stepper fault cleared by {}: {}", by, fault);
        }
        fault = null;
    }

    private void requireNoFault() {
        String latched = fault;
        if (latched != null) {
            throw new MotorFaultException(latched);
        }
    }

    /** A write whose failure is itself a fault: safe state, then refuse. */
    private void write(OutputPin pin, Level level, String signal) {
        try {
            pin.set(level);
        } catch (GpioException e) {
            String reason = signal + " pin failed: " + e.getMessage();
            safeState(reason);
            throw new MotorFaultException(reason);
        }
    }

    /** A best-effort write on the safe-state path: log and go on to the next pin. */
    private static void drive(OutputPin pin, Level level) {
        try {
            pin.set(level);
        } catch (GpioException e) {
            Logger.error("safe state: {}", e.getMessage());
        }
    }
}
