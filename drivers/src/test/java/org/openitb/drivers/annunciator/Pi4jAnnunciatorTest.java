package org.openitb.drivers.annunciator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openitb.clock.SimulatedClock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.Pi4jOutputPin;

class Pi4jAnnunciatorTest {

    private static final AnnunciatorConfig WIRING = new AnnunciatorConfig(18, Level.HIGH, 12, Level.HIGH);

    private final SimulatedClock clock = SimulatedClock.utc();
    private final Gpio gpio = Gpio.mock();
    private final Pi4jAnnunciator annunciator = new Pi4jAnnunciator(gpio, WIRING);
    private final AnnunciatorSim sim = AnnunciatorSim.attach(gpio, WIRING, clock);

    @AfterEach
    void close() {
        gpio.close();
    }

    @Test
    void darkAndSilentUntilAnAlarmIsShown() {
        run(Duration.ofSeconds(5));
        assertFalse(sim.ledOn());
        assertFalse(sim.buzzerOn());
        assertTrue(sim.ledEdges().isEmpty());
    }

    @Test
    void aHighAlarmFlashesAtTwoHertzAndSoundsItsBursts() {
        long start = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.HIGH, start);
        run(Duration.ofMillis(62_999)); // just short of the 127th flash and the 11th burst
        long flashes = sim.ledEdges().stream().filter(AnnunciatorSim.Edge::on).count();
        assertEquals(126, flashes, "2 Hz for 63 s");
        assertEquals(100, sim.tonesSince(start), "ten bursts of ten tones in 63 s");
    }

    @Test
    void aHigherPrioritySupersedesAndRestartsThePattern() {
        annunciator.show(Priority.MEDIUM, Priority.MEDIUM, clock.nanos());
        run(Duration.ofSeconds(3));
        long switchAt = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.HIGH, switchAt);
        run(Duration.ofMillis(1));
        assertTrue(sim.ledOn(), "the high pattern starts with the light on");
        assertTrue(sim.buzzerOn(), "and with its first tone");
        assertEquals(Priority.HIGH, annunciator.priority());
        // Showing the same priority again must not restart it.
        run(Duration.ofMillis(300));
        annunciator.show(Priority.HIGH, Priority.HIGH, clock.nanos());
        run(Duration.ofMillis(1));
        assertFalse(sim.ledOn(), "still in the off half of the first flash");
    }

    @Test
    void aHighAlarmRaisedDuringAMediumToneStillSoundsItsFirstTone() {
        annunciator.show(Priority.MEDIUM, Priority.MEDIUM, clock.nanos());
        run(Duration.ofMillis(100));
        assertTrue(sim.buzzerOn(), "inside the medium burst's first tone");
        long switchAt = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.HIGH, switchAt);
        run(Duration.ofMillis(6_399));
        // IEC 60601-1-8: a high burst is ten pulses. The medium tone running on into the first high
        // one would leave nine that a listener (or a counter on the pin) can tell apart.
        assertEquals(10, sim.tonesSince(switchAt), "one whole high burst after the switch");
        List<Long> tones = toneLengthsMs(switchAt);
        assertTrue(tones.stream().allMatch(ms -> ms == 150), "every high tone 150 ms: " + tones);
    }

    @Test
    void lateWakesStretchThePatternButNeverDropOrShortenATone() {
        // A busy CPU: every pass of the input loop comes 120 ms after the change it was due for.
        long from = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.HIGH, from);
        long next = annunciator.tick(clock.nanos());
        while (clock.nanos() - from < Duration.ofSeconds(40).toNanos()) {
            clock.advanceTo(next + Duration.ofMillis(120).toNanos());
            next = annunciator.tick(clock.nanos());
        }
        List<Long> tones = toneLengthsMs(from);
        assertTrue(tones.stream().allMatch(ms -> ms >= 150), "no tone shorter than 150 ms: " + tones);
        List<Integer> bursts = burstSizes(from, Duration.ofSeconds(2));
        assertTrue(bursts.size() >= 3, "bursts: " + bursts);
        assertTrue(bursts.subList(0, bursts.size() - 1).stream().allMatch(n -> n == 10), "ten tones in every whole burst: " + bursts);
    }

    @Test
    void aPatternIsTimedFromItsFirstWriteNotFromWhenItWasAskedFor() {
        // The supervisor shows the alarm at the start of its pass; the pass takes 100 ms before the pins are written.
        long asked = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.HIGH, asked);
        clock.advance(Duration.ofMillis(100));
        run(Duration.ofSeconds(3));
        assertEquals(150, toneLengthsMs(asked).getFirst(), "the first tone is a whole one");
    }

    @Test
    void acknowledgedMeansLightWithoutSound() {
        annunciator.show(Priority.HIGH, Priority.HIGH, clock.nanos());
        run(Duration.ofSeconds(1));
        long silencedAt = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.NONE, silencedAt);
        run(Duration.ofSeconds(20));
        assertEquals(0, sim.tonesSince(silencedAt + 1));
        assertTrue(sim.ledEdges().stream().anyMatch(e -> e.on() && e.nanos() > silencedAt));
        assertEquals(Priority.NONE, annunciator.sound());
    }

    @Test
    void theSoundFollowsItsOwnPriorityBesideTheLight() {
        // An acknowledged high alarm and a new medium one: the light flashes high, the buzzer sounds medium.
        long from = clock.nanos();
        annunciator.show(Priority.HIGH, Priority.MEDIUM, from);
        run(Duration.ofMillis(6_899)); // one burst period of the medium pattern, 6.9 s
        assertEquals(3, sim.tonesSince(from), "one medium burst: three tones, not the high burst's ten");
        long flashes = sim.ledEdges().stream().filter(e -> e.on() && e.nanos() >= from).count();
        assertEquals(14, flashes, "the light at 2 Hz, the high pattern");
    }

    @Test
    void lowIsSteady() {
        annunciator.show(Priority.LOW, Priority.LOW, clock.nanos());
        run(Duration.ofSeconds(30));
        assertTrue(sim.ledOn());
        assertEquals(1, sim.ledEdges().size());
        assertEquals(0, sim.buzzerEdges().size());
    }

    @Test
    void shutdownLeavesTheLightOnAndTheBuzzerOff() {
        annunciator.show(Priority.HIGH, Priority.HIGH, clock.nanos());
        run(Duration.ofMillis(10));
        assertTrue(sim.buzzerOn());
        gpio.close();
        assertTrue(sim.ledOn(), "steady light: the controller is not running");
        assertFalse(sim.buzzerOn());
    }

    @Test
    void aBuzzerThatCannotBeDrivenIsReportedAsAFault() {
        DigitalOutput deadBuzzer = mock(DigitalOutput.class);
        when(deadBuzzer.id()).thenReturn(Pi4jAnnunciator.BUZZER_ID);
        when(deadBuzzer.state(any(DigitalState.class))).thenThrow(new IOException("EIO"));
        try (Gpio other = Gpio.mock()) {
            Pi4jAnnunciator broken = new Pi4jAnnunciator(new Pi4jOutputPin(deadBuzzer, 18, Level.LOW),
                    other.output(Pi4jAnnunciator.LED_ID, 12, Level.LOW, Level.HIGH), WIRING);
            broken.show(Priority.HIGH, Priority.HIGH, clock.nanos());
            broken.tick(clock.nanos());
            assertTrue(broken.fault().orElseThrow().startsWith("buzzer pin failed: write HIGH to BCM 18"));
            assertEquals(Level.HIGH, other.outputLevel(Pi4jAnnunciator.LED_ID), "the light still works");
        }
    }

    @Test
    void aBuzzerWireBrokenOnTheBenchIsReportedUntilMended() {
        sim.breakBuzzer(true);
        annunciator.show(Priority.HIGH, Priority.HIGH, clock.nanos());
        annunciator.tick(clock.nanos());
        assertTrue(annunciator.fault().orElseThrow().contains("simulated broken buzzer wire"), annunciator.fault().toString());
        sim.breakBuzzer(false);
        annunciator.tick(clock.nanos());
        assertTrue(annunciator.fault().isEmpty(), "mended: no fault any more");
        assertTrue(sim.buzzerOn());
    }

    @Test
    void ticksComeExactlyWhenThePatternChanges() {
        annunciator.show(Priority.MEDIUM, Priority.NONE, clock.nanos());
        List<Long> wakes = new ArrayList<>();
        long next = annunciator.tick(clock.nanos());
        for (int i = 0; i < 4; i++) {
            wakes.add(next - clock.nanos());
            clock.advanceTo(next);
            next = annunciator.tick(clock.nanos());
        }
        assertEquals(List.of(800_000_000L, 800_000_000L, 800_000_000L, 800_000_000L), wakes);
    }

    /** How long each tone that began at or after {@code sinceNanos} lasted, ms, from the buzzer pin's edges. */
    private List<Long> toneLengthsMs(long sinceNanos) {
        List<Long> lengths = new ArrayList<>();
        long rose = Long.MIN_VALUE;
        for (AnnunciatorSim.Edge e : sim.buzzerEdges()) {
            if (e.on() && e.nanos() >= sinceNanos) {
                rose = e.nanos();
            } else if (!e.on() && rose != Long.MIN_VALUE) {
                lengths.add((e.nanos() - rose) / 1_000_000);
                rose = Long.MIN_VALUE;
            }
        }
        return lengths;
    }

    /** Tones per burst since {@code sinceNanos}, a burst ending at a silence longer than {@code silence}. */
    private List<Integer> burstSizes(long sinceNanos, Duration silence) {
        List<Integer> sizes = new ArrayList<>();
        long lastOff = Long.MIN_VALUE;
        for (AnnunciatorSim.Edge e : sim.buzzerEdges()) {
            if (e.nanos() < sinceNanos) {
                continue;
            }
            if (e.on()) {
                if (sizes.isEmpty() || e.nanos() - lastOff > silence.toNanos()) {
                    sizes.add(0);
                }
                sizes.set(sizes.size() - 1, sizes.getLast() + 1);
            } else {
                lastOff = e.nanos();
            }
        }
        return sizes;
    }

    private void run(Duration duration) {
        long end = clock.nanos() + duration.toNanos();
        long next = annunciator.tick(clock.nanos());
        while (next - end <= 0) {
            clock.advanceTo(next);
            next = annunciator.tick(clock.nanos());
        }
        clock.advanceTo(end);
    }
}
