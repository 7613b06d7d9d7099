package org.openitb.drivers.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;
import org.openitb.drivers.gpio.Pi4jOutputPin;

class Pi4jStepperDriverTest {

    @Test
    void emitsExactlyTheRequestedPulses() {
        try (StepperRig rig = StepperRig.drv8825()) {
            rig.driver.enable();
            for (int i = 0; i < 1_000; i++) {
                rig.driver.step();
            }
            assertEquals(1_000, rig.sim.pulses());
            assertEquals(1_000, rig.sim.position());
            assertEquals(1_000, rig.driver.position());
            assertEquals(0, rig.sim.pulsesWhileDisabled());
            assertEquals(Level.LOW, rig.sim.stepLevel(), "STEP rests low between pulses");
        }
    }

    @Test
    void theTwinReportsTheRisingEdgeOfEachMicrostepTakenAndNoneWhileDisabled() {
        try (StepperRig rig = StepperRig.drv8825()) {
            List<Long> rises = new ArrayList<>();
            rig.sim.onRise(rises::add);
            rig.driver.enable();
            rig.driver.step();
            rig.driver.step();
            rig.driver.disable();
            assertEquals(2, rises.size());
            assertEquals(rig.sim.recentPulses().stream().map(StepperSim.Pulse::riseNanos).toList(), rises);
            assertTrue(rises.get(1) - rises.get(0) >= rig.driver.chip().minStepHighNanos(), "the second edge after the first pulse");
        }
    }

    @Test
    void reversingHonoursHoldAndSetupTimes() {
        try (StepperRig rig = StepperRig.drv8825()) {
            rig.driver.enable();
            for (int i = 0; i < 10; i++) {
                rig.driver.step();
            }
            rig.driver.direction(Direction.REVERSE);
            for (int i = 0; i < 4; i++) {
                rig.driver.step();
            }
            assertEquals(6, rig.sim.position());
            assertEquals(6, rig.driver.position());
            assertEquals(Direction.REVERSE, rig.sim.direction());
            assertEquals(Level.LOW, rig.sim.dirLevel(), "forward is DIR high in this wiring, so reverse is low");
            assertEquals(0, rig.sim.holdViolations());
            List<StepperSim.Pulse> pulses = rig.sim.recentPulses();
            StepperSim.Pulse firstReverse = pulses.get(10);
            assertEquals(Direction.REVERSE, firstReverse.direction());
            assertTrue(firstReverse.dirSetupNanos() >= StepperChip.DRV8825.setupNanos(), "DIR setup before STEP");
        }
    }

    @Test
    void forwardLevelAndEnablePolarityFollowTheWiring() {
        StepperConfig config = StepperRig.config(StepperChip.A4988, 16, Level.HIGH, Level.LOW);
        try (StepperRig rig = new StepperRig(config)) {
            assertEquals(Level.LOW, rig.sim.enableLevel(), "disabled at start: the inactive level of an active-high ENABLE");
            assertEquals(Level.LOW, rig.sim.dirLevel(), "forward is DIR low in this wiring");
            rig.driver.enable();
            assertEquals(Level.HIGH, rig.sim.enableLevel());
            assertTrue(rig.sim.enabled());
            rig.driver.step();
            assertEquals(1, rig.sim.position());
        }
    }

    @Test
    void aStepWhileDisabledIsRefusedAndEmitsNothing() {
        try (StepperRig rig = StepperRig.drv8825()) {
            assertThrows(IllegalStateException.class, rig.driver::step);
            rig.driver.enable();
            rig.driver.step();
            rig.driver.disable();
            assertThrows(IllegalStateException.class, rig.driver::step);
            assertEquals(1, rig.sim.pulses());
            assertFalse(rig.sim.enabled());
        }
    }

    @Test
    void safeStateLatchesUntilRearmed() {
        try (StepperRig rig = StepperRig.drv8825()) {
            rig.driver.enable();
            rig.driver.step();
            rig.driver.safeState("test: occlusion bench check");
            assertFalse(rig.sim.enabled());
            assertEquals(Level.LOW, rig.sim.stepLevel());
            assertEquals(Optional.of("test: occlusion bench check"), rig.driver.fault());

            MotorFaultException refused = assertThrows(MotorFaultException.class, rig.driver::step);
            assertEquals("test: occlusion bench check", refused.getMessage());
            assertThrows(MotorFaultException.class, rig.driver::enable);
            assertThrows(MotorFaultException.class, () -> rig.driver.direction(Direction.REVERSE));
            assertFalse(rig.sim.enabled(), "a refused enable leaves the motor disabled");

            rig.driver.safeState("a second fault keeps the first reason");
            assertEquals(Optional.of("test: occlusion bench check"), rig.driver.fault());

            rig.driver.rearm("the test");
            assertFalse(rig.sim.enabled(), "rearming does not energise the motor by itself");
            rig.driver.enable();
            rig.driver.step();
            assertEquals(2, rig.sim.position());
        }
    }

    @Test
    void shuttingGpioDownAppliesTheDeclaredSafeState() {
        StepperRig rig = StepperRig.drv8825();
        rig.driver.enable();
        rig.driver.step();
        assertTrue(rig.sim.enabled());
        rig.close();
        assertFalse(rig.sim.enabled(), "ENABLE inactive after shutdown");
        assertEquals(Level.HIGH, rig.sim.enableLevel());
        assertEquals(Level.LOW, rig.sim.stepLevel());
    }

    @Test
    void aFailingStepPinDrivesTheSafeStateAndLatches() {
        SimulatedClock clock = SimulatedClock.utc();
        try (Gpio gpio = Gpio.mock()) {
            StepperConfig config = StepperRig.config(StepperChip.DRV8825, 16, Level.LOW, Level.HIGH);
            DigitalOutput brokenStep = mock(DigitalOutput.class);
            when(brokenStep.id()).thenReturn("stepper-step");
            doThrow(new IOException("line request lost")).when(brokenStep).state(any(DigitalState.class));
            List<OutputPin> select = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                select.add(gpio.output(StepperPins.selectId(config.chip(), i), config.selectPins().get(i), Level.LOW, null));
            }
            StepperPins pins = new StepperPins(new Pi4jOutputPin(brokenStep, 17, Level.LOW),
                    gpio.output(StepperPins.DIR_ID, 27, Level.HIGH, null),
                    gpio.output(StepperPins.ENABLE_ID, 22, Level.HIGH, Level.HIGH), select);
            Pi4jStepperDriver driver = new Pi4jStepperDriver(pins, config, clock);
            driver.enable();
            assertEquals(Level.LOW, gpio.outputLevel(StepperPins.ENABLE_ID));

            MotorFaultException e = assertThrows(MotorFaultException.class, driver::step);
            assertTrue(e.getMessage().startsWith("STEP pin failed: write HIGH to BCM 17"), e.getMessage());
            assertTrue(e.getMessage().contains("line request lost"), e.getMessage());
            assertEquals(Level.HIGH, gpio.outputLevel(StepperPins.ENABLE_ID), "driver disabled after the failure");
            assertFalse(driver.enabled());
            assertTrue(driver.fault().isPresent());
            assertThrows(MotorFaultException.class, driver::step);
            assertEquals(0, driver.position());
        }
    }
}
