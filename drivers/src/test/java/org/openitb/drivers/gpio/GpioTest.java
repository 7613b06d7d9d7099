package org.openitb.drivers.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpioTest {

    private final Gpio gpio = Gpio.mock();

    @AfterEach
    void close() {
        gpio.close();
    }

    @Test
    void everyPi4jPluginIsVisibleToServiceLoader() {
        assertEquals(List.of(
                "com.pi4j.plugin.gpiod.GpioDPlugin",
                "com.pi4j.plugin.linuxfs.LinuxFsPlugin",
                "com.pi4j.plugin.mock.MockPlugin",
                "com.pi4j.plugin.raspberrypi.RaspberryPiPlugin"), Gpio.availablePlugins());
    }

    @Test
    void outputsStartAtTheirInitialLevelAndReportWrites() {
        OutputPin pin = gpio.output("led", 12, Level.HIGH, Level.LOW);
        assertEquals(Level.HIGH, pin.level());
        assertEquals(Level.HIGH, gpio.outputLevel("led"));
        List<Level> seen = new ArrayList<>();
        gpio.watchOutput("led", seen::add);
        pin.set(Level.LOW);
        pin.set(Level.LOW);
        pin.set(Level.HIGH);
        assertEquals(List.of(Level.LOW, Level.HIGH), seen, "a write of the same level is no edge");
    }

    @Test
    void inputsCountEdgesAndWakeListeners() {
        InputPin pin = gpio.input("switch", 22, Pull.DOWN);
        List<String> wakes = new ArrayList<>();
        pin.onEdge(() -> wakes.add("edge"));
        gpio.driveInput("switch", Level.HIGH);
        gpio.driveInput("switch", Level.HIGH);
        gpio.driveInput("switch", Level.LOW);
        assertEquals(2, pin.edges());
        assertEquals(2, wakes.size());
        assertEquals(Level.LOW, pin.read());
    }

    @Test
    void pinsOutsideTheUsableBcmRangeAreRefused() {
        GpioException low = assertThrows(GpioException.class, () -> gpio.output("step", 1, Level.LOW, Level.LOW));
        assertEquals("'step' on BCM 1: usable BCM pins are 2..27", low.getMessage());
        assertThrows(GpioException.class, () -> gpio.input("switch", 28, Pull.UP));
    }

    @Test
    void aPinCannotBeOpenedTwice() {
        gpio.output("step", 17, Level.LOW, Level.LOW);
        GpioException e = assertThrows(GpioException.class, () -> gpio.output("buzzer", 17, Level.LOW, Level.LOW));
        assertTrue(e.getMessage().startsWith("cannot open output 'buzzer' on BCM 17"), e.getMessage());
        assertThrows(GpioException.class, () -> gpio.output("step", 18, Level.LOW, Level.LOW));
    }

    @Test
    void levelsAndPulls() {
        assertEquals(Level.HIGH, Level.LOW.opposite());
        assertEquals(Level.HIGH, Pull.UP.idleLevel().orElseThrow());
        assertEquals(Level.LOW, Pull.DOWN.idleLevel().orElseThrow());
        assertFalse(Pull.OFF.idleLevel().isPresent());
    }

    @Test
    void theRealBoardIsRefusedOffAPi() {
        assumeFalse(Gpio.onRaspberryPi(), "this check is for machines that are not a Raspberry Pi");
        GpioException e = assertThrows(GpioException.class, Gpio::raspberryPi);
        assertEquals("no Raspberry Pi detected; 'run' drives real pins only (use 'simulate' for the mock bench)", e.getMessage());
    }
}
