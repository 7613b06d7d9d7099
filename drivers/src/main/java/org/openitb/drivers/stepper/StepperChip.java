package org.openitb.drivers.stepper;

import static org.openitb.drivers.gpio.Level.HIGH;
import static org.openitb.drivers.gpio.Level.LOW;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openitb.drivers.gpio.Level;

/**
 * The step/direction driver chips we support, with their microstep-select tables and the timing
 * minimums from their datasheets. Times are in nanoseconds.
 */
public enum StepperChip {

    /** Allegro A4988: MS1..MS3, full to 1/16; STEP high and low at least 1 µs, 200 ns setup and hold. */
    A4988(List.of("ms1", "ms2", "ms3"), table(Map.of(
            1, List.of(LOW, LOW, LOW),
            2, List.of(HIGH, LOW, LOW),
            4, List.of(LOW, HIGH, LOW),
            8, List.of(HIGH, HIGH, LOW),
            16, List.of(HIGH, HIGH, HIGH))),
            1_000, 1_000, 200, 200, 200),

    /** TI DRV8825: MODE0..MODE2, full to 1/32; STEP high and low at least 1.9 µs, 650 ns setup, hold and enable. */
    DRV8825(List.of("mode0", "mode1", "mode2"), table(Map.of(
            1, List.of(LOW, LOW, LOW),
            2, List.of(HIGH, LOW, LOW),
            4, List.of(LOW, HIGH, LOW),
            8, List.of(HIGH, HIGH, LOW),
            16, List.of(LOW, LOW, HIGH),
            32, List.of(HIGH, LOW, HIGH))),
            1_900, 1_900, 650, 650, 650),

    /**
     * Trinamic TMC2209 in standalone (step/dir, no UART) mode: MS1, MS2 select 1/8, 1/16, 1/32 or
     * 1/64 (interpolated to 1/256 inside the chip); STEP high and low at least 100 ns, 20 ns setup.
     */
    TMC2209(List.of("ms1", "ms2"), table(Map.of(
            8, List.of(LOW, LOW),
            16, List.of(HIGH, HIGH),
            32, List.of(HIGH, LOW),
            64, List.of(LOW, HIGH))),
            100, 100, 20, 20, 20);

    private final List<String> selectPins;
    private final Map<Integer, List<Level>> microstepTable;
    private final long minStepHighNanos;
    private final long minStepLowNanos;
    private final long setupNanos;
    private final long holdNanos;
    private final long enableSetupNanos;

    StepperChip(List<String> selectPins, Map<Integer, List<Level>> microstepTable, long minStepHighNanos,
            long minStepLowNanos, long setupNanos, long holdNanos, long enableSetupNanos) {
        this.selectPins = selectPins;
        this.microstepTable = microstepTable;
        this.minStepHighNanos = minStepHighNanos;
        this.minStepLowNanos = minStepLowNanos;
        this.setupNanos = setupNanos;
        this.holdNanos = holdNanos;
        this.enableSetupNanos = enableSetupNanos;
    }

    /** Datasheet names of the microstep-select pins, in table order. */
    public List<String> selectPins() {
        return selectPins;
    }

    /** Supported microsteps per full step, ascending, each with its select-pin levels. */
    public Map<Integer, List<Level>> microstepTable() {
        return microstepTable;
    }

    /** Select-pin levels for {@code microsteps}, empty if the chip cannot do it. */
    public Optional<List<Level>> selectLevels(int microsteps) {
        return Optional.ofNullable(microstepTable.get(microsteps));
    }

    /** Microsteps the select pins encode, empty for a combination the table does not use. */
    public Optional<Integer> decode(List<Level> levels) {
        return microstepTable.entrySet().stream()
                .filter(e -> e.getValue().equals(levels))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Minimum STEP high time, ns. */
    public long minStepHighNanos() {
        return minStepHighNanos;
    }

    /** Minimum STEP low time between pulses, ns. */
    public long minStepLowNanos() {
        return minStepLowNanos;
    }

    /** Minimum time from a DIR or select-pin change to the next STEP rising edge, ns. */
    public long setupNanos() {
        return setupNanos;
    }

    /** Minimum time DIR must stay put after a STEP rising edge, ns. */
    public long holdNanos() {
        return holdNanos;
    }

    /** Minimum time from ENABLE becoming active to the first STEP rising edge, ns. */
    public long enableSetupNanos() {
        return enableSetupNanos;
    }

    /** Highest step rate the chip's pulse timing allows, steps per second. */
    public long maxStepRateHz() {
        return 1_000_000_000L / (minStepHighNanos + minStepLowNanos);
    }

    /** The table sorted by microsteps, so listings and tests walk it in order. */
    private static Map<Integer, List<Level>> table(Map<Integer, List<Level>> rows) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(rows));
    }
}
