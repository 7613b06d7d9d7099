package org.openitb.drivers.annunciator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openitb.clock.Clock;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.Level;

/**
 * Simulated twin of the annunciator: what a person at the bench would see and hear, with
 * timestamps. Levels are tracked from pin events, so the shutdown state is still visible after GPIO closed.
 */
public final class AnnunciatorSim {

    /** How many transitions per output are kept. */
    public static final int HISTORY_LIMIT = 4096;

    /** A light or sound switching on or off at a monotonic instant. */
    public record Edge(long nanos, boolean on) {
    }

    private final AnnunciatorConfig config;
    private final ArrayDeque<Edge> ledEdges = new ArrayDeque<>();
    private final ArrayDeque<Edge> buzzerEdges = new ArrayDeque<>();
    private Gpio gpio;
    private Level ledLevel;
    private Level buzzerLevel;

    private AnnunciatorSim(AnnunciatorConfig config) {
        this.config = config;
    }

    /** Attaches to the pins a {@link Pi4jAnnunciator} opened on {@code gpio}. */
    public static AnnunciatorSim attach(Gpio gpio, AnnunciatorConfig config, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(gpio, "gpio");
        AnnunciatorSim sim = new AnnunciatorSim(Objects.requireNonNull(config, "config"));
        synchronized (sim) {
            sim.gpio = gpio;
            sim.ledLevel = gpio.outputLevel(Pi4jAnnunciator.LED_ID);
            sim.buzzerLevel = gpio.outputLevel(Pi4jAnnunciator.BUZZER_ID);
        }
        gpio.watchOutput(Pi4jAnnunciator.LED_ID, level -> sim.onLed(level, clock.nanos()));
        gpio.watchOutput(Pi4jAnnunciator.BUZZER_ID, level -> sim.onBuzzer(level, clock.nanos()));
        return sim;
    }

    /** Whether the LED is lit. */
    public synchronized boolean ledOn() {
        return ledLevel == config.ledActive();
    }

    /** Whether the buzzer sounds. */
    public synchronized boolean buzzerOn() {
        return buzzerLevel == config.buzzerActive();
    }

    /** LED transitions, oldest first. */
    public synchronized List<Edge> ledEdges() {
        return new ArrayList<>(ledEdges);
    }

    /** Buzzer transitions, oldest first. */
    public synchronized List<Edge> buzzerEdges() {
        return new ArrayList<>(buzzerEdges);
    }

    /** Tones started at or after {@code sinceNanos}. */
    public synchronized long tonesSince(long sinceNanos) {
        return buzzerEdges.stream().filter(e -> e.on() && e.nanos() >= sinceNanos).count();
    }

    /** Breaks the buzzer's wire (every write fails), or mends it: the annunciator must report the fault. */
    public synchronized void breakBuzzer(boolean broken) {
        gpio.failWrites(Pi4jAnnunciator.BUZZER_ID, broken ? Optional.of("simulated broken buzzer wire") : Optional.empty());
    }

    private synchronized void onLed(Level level, long nowNanos) {
        ledLevel = level;
        record(ledEdges, new Edge(nowNanos, level == config.ledActive()));
    }

    private synchronized void onBuzzer(Level level, long nowNanos) {
        buzzerLevel = level;
        record(buzzerEdges, new Edge(nowNanos, level == config.buzzerActive()));
    }

    private void record(ArrayDeque<Edge> edges, Edge edge) {
        if (edges.size() == HISTORY_LIMIT) {
            edges.removeFirst();
        }
        edges.addLast(edge);
    }
}
