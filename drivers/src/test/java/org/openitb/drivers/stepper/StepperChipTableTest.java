package org.openitb.drivers.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openitb.drivers.gpio.Level;

/** Every row of every chip table, checked on the mock pins against the datasheets, written out here by hand. */
class StepperChipTableTest {

    /** chip, microsteps, select-pin levels in datasheet order (MS1.. / MODE0..), H or L. */
    private static final List<Object[]> DATASHEET_ROWS = List.of(
            new Object[] {StepperChip.A4988, 1, "LLL"},
            new Object[] {StepperChip.A4988, 2, "HLL"},
            new Object[] {StepperChip.A4988, 4, "LHL"},
            new Object[] {StepperChip.A4988, 8, "HHL"},
            new Object[] {StepperChip.A4988, 16, "HHH"},
            new Object[] {StepperChip.DRV8825, 1, "LLL"},
            new Object[] {StepperChip.DRV8825, 2, "HLL"},
            new Object[] {StepperChip.DRV8825, 4, "LHL"},
            new Object[] {StepperChip.DRV8825, 8, "HHL"},
            new Object[] {StepperChip.DRV8825, 16, "LLH"},
            new Object[] {StepperChip.DRV8825, 32, "HLH"},
            new Object[] {StepperChip.TMC2209, 8, "LL"},
            new Object[] {StepperChip.TMC2209, 16, "HH"},
            new Object[] {StepperChip.TMC2209, 32, "HL"},
            new Object[] {StepperChip.TMC2209, 64, "LH"});

    static Stream<Arguments> rows() {
        return DATASHEET_ROWS.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} 1/{1}: {2}")
    @MethodSource("rows")
    void selectPinsCarryTheDatasheetLevels(StepperChip chip, int microsteps, String levels) {
        try (StepperRig rig = new StepperRig(StepperRig.config(chip, microsteps, Level.LOW, Level.HIGH))) {
            assertEquals(levels(levels), rig.sim.selectLevels());
            assertEquals(Optional.of(microsteps), rig.sim.microstepSetting());
            assertEquals(microsteps, rig.driver.microsteps());
        }
    }

    @ParameterizedTest(name = "{0} 1/{1}")
    @MethodSource("rows")
    void pulsesHonourTheChipTimingAtEveryRow(StepperChip chip, int microsteps, String ignored) {
        try (StepperRig rig = new StepperRig(StepperRig.config(chip, microsteps, Level.LOW, Level.HIGH))) {
            rig.driver.enable();
            for (int i = 0; i < 5; i++) {
                rig.driver.step();
            }
            List<StepperSim.Pulse> pulses = rig.sim.recentPulses();
            assertEquals(5, pulses.size());
            assertTrue(pulses.get(0).enableSetupNanos() >= chip.enableSetupNanos());
            assertTrue(pulses.get(0).dirSetupNanos() >= chip.setupNanos());
            for (StepperSim.Pulse pulse : pulses) {
                assertEquals(chip.minStepHighNanos(), pulse.highNanos(), "STEP high time");
            }
            for (StepperSim.Pulse pulse : pulses.subList(1, pulses.size())) {
                assertEquals(chip.minStepLowNanos(), pulse.lowBeforeNanos(), "STEP low time");
            }
        }
    }

    @Test
    void everyTableRowOfEveryChipIsCheckedHere() {
        Set<List<Object>> inTest = new HashSet<>();
        DATASHEET_ROWS.forEach(row -> inTest.add(List.of(row[0], row[1])));
        Set<List<Object>> inCode = new HashSet<>();
        for (StepperChip chip : StepperChip.values()) {
            chip.microstepTable().keySet().forEach(m -> inCode.add(List.of(chip, m)));
        }
        assertEquals(inTest, inCode);
    }

    @Test
    void datasheetTimings() {
        assertEquals(1_000, StepperChip.A4988.minStepHighNanos());
        assertEquals(200, StepperChip.A4988.setupNanos());
        assertEquals(1_900, StepperChip.DRV8825.minStepHighNanos());
        assertEquals(1_900, StepperChip.DRV8825.minStepLowNanos());
        assertEquals(650, StepperChip.DRV8825.setupNanos());
        assertEquals(100, StepperChip.TMC2209.minStepHighNanos());
        assertEquals(263_157, StepperChip.DRV8825.maxStepRateHz());
    }

    @Test
    void unsupportedMicrostepsAreRefusedNamingWhatIsSupported() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StepperRig.config(StepperChip.DRV8825, 64, Level.LOW, Level.HIGH));
        assertEquals("DRV8825 cannot do 64 microsteps; it supports [1, 2, 4, 8, 16, 32]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepperRig.config(StepperChip.A4988, 32, Level.LOW, Level.HIGH));
        assertThrows(IllegalArgumentException.class, () -> StepperRig.config(StepperChip.TMC2209, 4, Level.LOW, Level.HIGH));
    }

    @Test
    void decodeRefusesCombinationsTheTableDoesNotUse() {
        assertEquals(Optional.empty(), StepperChip.A4988.decode(levels("HLH")));
        assertEquals(Optional.of(32), StepperChip.DRV8825.decode(levels("HLH")));
    }

    private static List<Level> levels(String letters) {
        List<Level> levels = new ArrayList<>();
        for (char c : letters.toCharArray()) {
            levels.add(c == 'H' ? Level.HIGH : Level.LOW);
        }
        return levels;
    }
}
