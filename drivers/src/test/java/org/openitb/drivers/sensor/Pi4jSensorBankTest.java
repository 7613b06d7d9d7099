package org.openitb.drivers.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.InputPin;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pi4jInputPin;
import org.openitb.drivers.gpio.Pi4jOutputPin;
import org.openitb.drivers.gpio.Pull;
import org.openitb.drivers.sensor.SensorHealth.Kind;

class Pi4jSensorBankTest {

    @Test
    void allQuietAtStartAndHealthy() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofSeconds(1));
            for (BinarySensor sensor : rig.bank.sensors()) {
                assertFalse(sensor.active(), sensor.name());
                assertEquals(SensorHealth.OK, sensor.health(), sensor.name());
            }
        }
    }

    @Test
    void anOcclusionIsBelievedAfterItsDebounceTime() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofSeconds(1));
            rig.sim.sensor("occlusion").activate();
            rig.run(Duration.ofMillis(19));
            assertFalse(rig.sensor("occlusion").active());
            rig.run(Duration.ofMillis(2));
            assertTrue(rig.sensor("occlusion").active());
            rig.sim.sensor("occlusion").deactivate();
            rig.run(Duration.ofMillis(25));
            assertFalse(rig.sensor("occlusion").active());
        }
    }

    @Test
    void activeLowAndNormallyClosedWiringReadTheRightWayRound() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofMillis(100));
            // Reservoir low: normally closed, so the condition is the switch opening to the pull-down.
            rig.sim.sensor("reservoir-low").activate();
            assertEquals(Level.LOW, rig.sim.sensor("reservoir-low").level());
            // Stall: the driver pulls its open-drain fault line low.
            rig.sim.sensor("stall").activate();
            assertEquals(Level.LOW, rig.sim.sensor("stall").level());
            rig.run(Duration.ofMillis(60));
            assertTrue(rig.sensor("reservoir-low").active());
            assertTrue(rig.sensor("stall").active());
            assertFalse(rig.sensor("occlusion").active());
        }
    }

    @Test
    void aShortGlitchNeverBecomesAnAlarm() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofMillis(100));
            rig.sim.sensor("occlusion").activate();
            rig.run(Duration.ofMillis(10));
            rig.sim.sensor("occlusion").deactivate();
            rig.run(Duration.ofSeconds(1));
            assertFalse(rig.sensor("occlusion").active());
            assertEquals(SensorHealth.OK, rig.sensor("occlusion").health());
        }
    }

    @Test
    void aChatteringInputIsASensorFaultUntilItGoesQuiet() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofMillis(100));
            rig.sim.sensor("occlusion").chatter(12);
            rig.run(Duration.ofMillis(20));
            SensorHealth health = rig.sensor("occlusion").health();
            assertEquals(Kind.CHATTER, health.kind());
            assertEquals("occlusion input chatters: more edges than a switch makes", health.detail());
            assertFalse(rig.sensor("occlusion").active(), "chatter is not believed as an occlusion");
            rig.run(Duration.ofMillis(1_100));
            assertEquals(SensorHealth.OK, rig.sensor("occlusion").health());
        }
    }

    @Test
    void theSelfTestCatchesAnInputStuckAtItsSupplyLevel() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.run(Duration.ofSeconds(1));
            rig.sim.sensor("end-of-travel").stickAt(Level.HIGH);
            // Indistinguishable from a real end of travel until the next self-test...
            rig.run(Duration.ofMillis(50));
            assertTrue(rig.sensor("end-of-travel").active());
            assertEquals(SensorHealth.OK, rig.sensor("end-of-travel").health());
            // ...which cuts the supply: a healthy input would float low.
            rig.run(Duration.ofSeconds(10));
            SensorHealth health = rig.sensor("end-of-travel").health();
            assertEquals(Kind.STUCK, health.kind());
            assertEquals("end-of-travel input reads HIGH with its supply cut; a healthy input floats LOW (pull-down)",
                    health.detail());
            rig.sim.sensor("end-of-travel").unstick();
            rig.run(Duration.ofSeconds(11));
            assertEquals(SensorHealth.OK, rig.sensor("end-of-travel").health());
            assertFalse(rig.sensor("end-of-travel").active());
        }
    }

    @Test
    void theSelfTestNeitherTripsAlarmsNorCountsAsChatter() {
        try (SensorRig rig = SensorRig.bench()) {
            rig.sim.sensor("reservoir-low").deactivate();
            rig.sim.sensor("occlusion").activate();
            rig.run(Duration.ofSeconds(1));
            long edgesBefore = rig.sensor("occlusion").rawEdges();
            // Ten minutes: sixty self-tests, each cutting the supply under an active occlusion
            // and a closed reservoir switch.
            for (int i = 0; i < 60_000; i++) {
                rig.run(Duration.ofMillis(10));
                assertTrue(rig.sensor("occlusion").active());
                assertFalse(rig.sensor("reservoir-low").active());
            }
            assertTrue(rig.sensor("occlusion").rawEdges() - edgesBefore >= 120, "the supply really was cut");
            for (BinarySensor sensor : rig.bank.sensors()) {
                assertEquals(SensorHealth.OK, sensor.health(), sensor.name());
            }
        }
    }

    @Test
    void theSupplyIsRestoredAfterEachTest() {
        try (SensorRig rig = SensorRig.bench()) {
            assertEquals(Level.LOW, rig.sim.supplyLevel(), "the first test starts at the first tick");
            rig.run(Duration.ofMillis(5));
            assertEquals(Level.HIGH, rig.sim.supplyLevel());
            assertTrue(rig.sim.supplyOn());
        }
    }

    @Test
    void inputsNotOnTheSupplyKeepBeingReadDuringTheTest() {
        SensorBankConfig bench = SensorRig.benchConfig();
        SensorBankConfig longWindow = new SensorBankConfig(bench.sensors(), bench.supplyPin(), bench.pollInterval(),
                bench.selfTestPeriod(), Duration.ofMillis(20), bench.chatterEdges(), bench.chatterWindow());
        try (SensorRig rig = new SensorRig(longWindow)) {
            rig.run(Duration.ofMillis(10_039)); // the second self-test starts at 10.040 s
            assertTrue(rig.sim.supplyOn());
            rig.run(Duration.ofMillis(1));
            assertFalse(rig.sim.supplyOn(), "supply cut for the self-test");
            rig.sim.sensor("stall").activate();
            rig.run(Duration.ofMillis(6));
            assertFalse(rig.sim.supplyOn(), "still inside the self-test");
            assertTrue(rig.sensor("stall").active(), "a stall is seen even while the supply is cut");
        }
    }

    @Test
    void aChangeWhoseDebounceEndsDuringTheSelfTestIsBelievedAfterItWithoutSpinning() {
        try (SensorRig rig = SensorRig.bench()) {
            // The second self-test cuts the supply at 10.004 s for 2 ms; the reservoir switch opens
            // 49 ms before, so its 50 ms debounce ends inside the cut, where it is not sampled.
            rig.run(Duration.ofMillis(9_955));
            rig.sim.sensor("reservoir-low").activate();
            rig.run(Duration.ofMillis(48));
            assertTrue(rig.sim.supplyOn());
            assertFalse(rig.sensor("reservoir-low").active(), "still inside its debounce");
            rig.run(Duration.ofMillis(2)); // SensorRig.run fails if the bank asks for a tick that is not after the last
            assertFalse(rig.sim.supplyOn(), "inside the self-test");
            assertFalse(rig.sensor("reservoir-low").active(), "a self-tested input holds its state through the cut");
            rig.run(Duration.ofMillis(20));
            assertTrue(rig.sim.supplyOn());
            assertTrue(rig.sensor("reservoir-low").active(), "believed once the supply is back and settled");
            assertEquals(SensorHealth.OK, rig.sensor("reservoir-low").health());
        }
    }

    @Test
    void edgesWakeTheLoopAndTicksComeAtDeadlines() {
        try (SensorRig rig = SensorRig.bench()) {
            AtomicInteger wakes = new AtomicInteger();
            rig.bank.onEdge(wakes::incrementAndGet);
            rig.run(Duration.ofMillis(100));
            int before = wakes.get();
            rig.sim.sensor("stall").activate();
            assertEquals(before + 1, wakes.get());
            long now = rig.clock.nanos();
            long next = rig.bank.tick(now);
            assertEquals(now + Duration.ofMillis(5).toNanos(), next, "next tick is the stall input's debounce deadline");
        }
    }

    @Test
    void anUnreadableInputIsAFaultAndKeepsItsLastBelievedState() {
        SimulatedClock clock = SimulatedClock.utc();
        try (Gpio gpio = Gpio.mock()) {
            SensorBankConfig config = SensorRig.benchConfig();
            DigitalInput flaky = mock(DigitalInput.class);
            when(flaky.id()).thenReturn("sensor-stall");
            when(flaky.state()).thenReturn(DigitalState.LOW);
            Map<String, InputPin> inputs = new HashMap<>();
            for (SensorConfig sensor : config.sensors()) {
                inputs.put(sensor.name(), sensor.name().equals("stall")
                        ? new Pi4jInputPin(flaky, sensor.pin())
                        : gpio.input(sensor.pinId(), sensor.pin(), sensor.pull()));
            }
            Pi4jSensorBank bank = new Pi4jSensorBank(config, gpio.output(Pi4jSensorBank.SUPPLY_ID, 26, Level.HIGH, null), inputs);
            bank.tick(clock.nanos());
            clock.advance(Duration.ofMillis(10));
            bank.tick(clock.nanos());
            assertTrue(bank.sensor("stall").active(), "the driver pulls its fault line low");
            when(flaky.state()).thenReturn(DigitalState.HIGH); // released: a change pending its 5 ms debounce...
            clock.advance(Duration.ofMillis(1));
            bank.tick(clock.nanos());

            when(flaky.state()).thenThrow(new IOException("gpiochip0: line 25 busy"));
            clock.advance(Duration.ofMillis(10));
            long next = bank.tick(clock.nanos());
            assertEquals(clock.nanos() + Duration.ofMillis(10).toNanos(), next,
                    "...when the reads fail: its passed deadline waits for the next poll, it does not ask for a pass at once (a spin)");
            SensorHealth health = bank.sensor("stall").health();
            assertEquals(Kind.READ_ERROR, health.kind());
            assertTrue(health.detail().startsWith("stall input cannot be read: read of BCM 25 (sensor-stall) failed"), health.detail());
            assertTrue(bank.sensor("stall").active(), "the last believed state holds");
            assertEquals(SensorHealth.OK, bank.sensor("occlusion").health(), "the other inputs are unaffected");

            Mockito.reset(flaky);
            when(flaky.state()).thenReturn(DigitalState.UNKNOWN);
            clock.advance(Duration.ofMillis(10));
            bank.tick(clock.nanos());
            assertEquals(Kind.READ_ERROR, bank.sensor("stall").health().kind(), "neither high nor low is a read error too");

            Mockito.reset(flaky);
            when(flaky.state()).thenReturn(DigitalState.HIGH);
            clock.advance(Duration.ofMillis(10));
            bank.tick(clock.nanos());
            assertEquals(SensorHealth.OK, bank.sensor("stall").health());
            clock.advance(Duration.ofMillis(10));
            bank.tick(clock.nanos());
            assertFalse(bank.sensor("stall").active());
        }
    }

    @Test
    void aDeadSupplyPinIsAFaultOnEverySelfTestedInput() {
        SimulatedClock clock = SimulatedClock.utc();
        try (Gpio gpio = Gpio.mock()) {
            SensorBankConfig config = SensorRig.benchConfig();
            DigitalOutput supply = mock(DigitalOutput.class);
            when(supply.id()).thenReturn("sensor-supply");
            Map<String, InputPin> inputs = new HashMap<>();
            for (SensorConfig sensor : config.sensors()) {
                inputs.put(sensor.name(), gpio.input(sensor.pinId(), sensor.pin(), sensor.pull()));
            }
            Pi4jSensorBank bank = new Pi4jSensorBank(config, new Pi4jOutputPin(supply, 26, Level.HIGH), inputs);
            bank.tick(clock.nanos()); // cuts the supply for the first test
            when(supply.state(any(DigitalState.class))).thenThrow(new IOException("line released"));
            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofMillis(1));
                long now = clock.nanos();
                long next = bank.tick(now);
                // Settling is over after 4 ms, but not while the supply fails: retried each poll, never in a spin.
                assertTrue(next - now > 0 && next - now <= Duration.ofMillis(10).toNanos(), "next tick " + (next - now) + " ns after now");
                if (i >= 4) {
                    assertEquals(now + Duration.ofMillis(10).toNanos(), next, "the dead supply is retried at the poll interval");
                }
            }
            for (String name : List.of("occlusion", "reservoir-low", "end-of-travel")) {
                SensorHealth health = bank.sensor(name).health();
                assertEquals(Kind.SUPPLY_FAULT, health.kind(), name);
                assertTrue(health.detail().startsWith("sensor supply pin failed: write HIGH to BCM 26"), health.detail());
            }
            assertEquals(SensorHealth.OK, bank.sensor("stall").health(), "the stall line is not on the supply");

            Mockito.reset(supply);
            when(supply.id()).thenReturn("sensor-supply");
            clock.advance(Duration.ofMillis(1));
            bank.tick(clock.nanos());
            assertEquals(SensorHealth.OK, bank.sensor("occlusion").health());
        }
    }

    @Test
    void configRefusesSelfTestWithoutASupplyOrAPull() {
        var noSupply = assertThrows(IllegalArgumentException.class, () -> new SensorBankConfig(
                List.of(new SensorConfig("occlusion", 22, Level.HIGH, Pull.DOWN, Duration.ZERO, true)),
                OptionalInt.empty(), Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofMillis(2), 8, Duration.ofSeconds(1)));
        assertEquals("sensor occlusion is self-tested but no supply pin is configured", noSupply.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SensorConfig("occlusion", 22, Level.HIGH, Pull.OFF, Duration.ZERO, true));
        var samePin = assertThrows(IllegalArgumentException.class, () -> new SensorBankConfig(List.of(
                new SensorConfig("occlusion", 22, Level.HIGH, Pull.DOWN, Duration.ZERO, false),
                new SensorConfig("stall", 22, Level.LOW, Pull.UP, Duration.ZERO, false)),
                OptionalInt.empty(), Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofMillis(2), 8, Duration.ofSeconds(1)));
        assertEquals("sensor stall: BCM 22 is already in use", samePin.getMessage());
    }
}
