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
    private Priority priority = Priority.NONE;
    private Priority sound = Priority.NONE;
    private long startedNanos;
    private long soundStartedNanos;
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
        Objects.requireNonNull(light, "light");
        Objects.requireNonNull(sound, "sound");
        if (light != this.priority) {
            this.priority = light;
            this.startedNanos = nowNanos;
        }
        if (sound != this.sound) {
            this.sound = sound;
            this.soundStartedNanos = nowNanos;
        }
    }

    @Override
    public synchronized long tick(long nowNanos) {
        // Light and sound each run their own pattern from when their priority last changed.
        AnnunciatorPattern.Signal light = AnnunciatorPattern.at(priority, false, Math.max(0, nowNanos - startedNanos));
        AnnunciatorPattern.Signal tone = AnnunciatorPattern.at(sound, true, Math.max(0, nowNanos - soundStartedNanos));
        String ledError = drive(led, light.led() ? config.ledActive() : config.ledActive().opposite(), "LED");
        String buzzerError = drive(buzzer, tone.buzzer() ? config.buzzerActive() : config.buzzerActive().opposite(), "buzzer");
        String error = buzzerError != null ? buzzerError : ledError;
        if (error != null && fault == null) {
            Logger.error("annunciator: {}", error);
        } else if (error == null && fault != null) {
            Logger.info("annunciator works again");
        }
        fault = error;
        long lightNext = light.nextChangeNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : startedNanos + light.nextChangeNanos();
        long toneNext = tone.nextChangeNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : soundStartedNanos + tone.nextChangeNanos();
        return Math.min(lightNext, toneNext);
    }

    @Override
    public synchronized Priority priority() {
        return priority;
    }

    @Override
    public synchronized Priority sound() {
        return sound;
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
}
