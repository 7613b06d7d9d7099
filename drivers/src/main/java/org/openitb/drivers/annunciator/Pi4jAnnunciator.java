package org.openitb.drivers.annunciator;

import java.util.Objects;
import java.util.Optional;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.drivers.gpio.GpioException;
import org.openitb.drivers.gpio.Level;
import org.openitb.drivers.gpio.OutputPin;
import org.tinylog.Logger;

/**
 * The annunciator on two Pi4J outputs. Declared shutdown state: buzzer off, LED lit steady, so
 * a controller that is not running is visibly not running.
 */
public final class Pi4jAnnunciator implements Annunciator {

    public static final String BUZZER_ID = "annunciator-buzzer";
    public static final String LED_ID = "annunciator-led";

    private final AnnunciatorConfig config;
    private final OutputPin buzzer;
    private final OutputPin led;
    private final Channel light = new Channel(AnnunciatorPattern::light);
    private final Channel sound = new Channel(AnnunciatorPattern::sound);
    private volatile String fault;

    /** Opens the buzzer (off, and off at shutdown) and the LED (dark, lit at shutdown) on {@code gpio}. */
    public Pi4jAnnunciator(Gpio gpio, AnnunciatorConfig config) {
        this(gpio.output(BUZZER_ID, config.buzzerPin(), config.buzzerActive().opposite(), config.buzzerActive().opposite()),
                gpio.output(LED_ID, config.ledPin(), config.ledActive().opposite(), config.ledActive()),
                config);
    }

    /** On pins already opened. */
    public Pi4jAnnunciator(OutputPin buzzer, OutputPin led, AnnunciatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.buzzer = Objects.requireNonNull(buzzer, "buzzer");
        this.led = Objects.requireNonNull(led, "led");
    }

    @Override
    public synchronized void show(Priority light, Priority sound, long nowNanos) {
        this.light.show(Objects.requireNonNull(light, "light"), nowNanos);
        this.sound.show(Objects.requireNonNull(sound, "sound"), nowNanos);
    }

    @Override
    public synchronized long tick(long nowNanos) {
        boolean ledOn = light.at(nowNanos);
        boolean buzzerOn = sound.at(nowNanos);
        String ledError = drive(led, ledOn ? config.ledActive() : config.ledActive().opposite(), "LED");
        String buzzerError = drive(buzzer, buzzerOn ? config.buzzerActive() : config.buzzerActive().opposite(), "buzzer");
        String error = buzzerError != null ? buzzerError : ledError;
        if (error != null && fault == null) {
            Logger.error("annunciator: {}", error);
        } else if (error == null && fault != null) {
            Logger.info("annunciator works again");
        }
        fault = error;
        return Math.min(light.dueNanos, sound.dueNanos);
    }

    @Override
    public synchronized Priority priority() {
        return light.priority;
    }

    @Override
    public synchronized Priority sound() {
        return sound.priority;
    }

    @Override
    public Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    private static String drive(OutputPin pin, Level level, String what) {
        try {
            if (pin.level() != level) {
                pin.set(level);
            }
            return null;
        } catch (GpioException e) {
            return what + " pin failed: " + e.getMessage();
        }
    }

    /** A pattern of one output, as {@link AnnunciatorPattern} defines it. */
    private interface Pattern {
        AnnunciatorPattern.Signal at(Priority priority, long elapsedNanos);
    }

    /**
     * One output's place in its pattern. Each change is timed from when the one before it was
     * driven, not from the pattern's start: a wake that comes late (a busy CPU, a slow alarm pass)
     * lengthens the tone or gap under way, it never shortens or skips a tone, so every burst keeps
     * its ten pulses. A new pattern starts at the first tick after it is shown, and on an output that
     * is on it starts after a gap of its own, so the old tone cannot run into the new first one.
     */
    private static final class Channel {
        private final Pattern pattern;
        private Priority priority = Priority.NONE;
        private long originNanos;
        private long dueNanos = Long.MAX_VALUE;
        private boolean on;

        Channel(Pattern pattern) {
            this.pattern = pattern;
        }

        void show(Priority next, long nowNanos) {
            if (next == priority) {
                return;
            }
            priority = next;
            originNanos = on ? nowNanos + AnnunciatorPattern.SHORTEST_GAP_NANOS : nowNanos;
            dueNanos = nowNanos;
        }

        /** Whether the output is on at {@code nowNanos}; moves the pattern on by however late this tick is. */
        boolean at(long nowNanos) {
            if (dueNanos != Long.MAX_VALUE && nowNanos - dueNanos > 0) {
                originNanos += nowNanos - dueNanos;
            }
            long elapsed = nowNanos - originNanos;
            if (elapsed < 0) {
                on = false;
                dueNanos = originNanos;
                return false;
            }
            AnnunciatorPattern.Signal s = pattern.at(priority, elapsed);
            on = s.on();
            dueNanos = s.nextChangeNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : originNanos + s.nextChangeNanos();
            return on;
        }
    }
}
