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
    private boolean audible;
    private long startedNanos;
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
    public synchronized void show(Priority priority, boolean audible, long nowNanos) {
        Objects.requireNonNull(priority, "priority");
        if (priority != this.priority) {
            this.priority = priority;
            this.startedNanos = nowNanos;
        }
        this.audible = audible;
    }

    @Override
    public synchronized long tick(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - startedNanos);
        AnnunciatorPattern.Signal signal = AnnunciatorPattern.at(priority, audible, elapsed);
        String ledError = drive(led, signal.led() ? config.ledActive() : config.ledActive().opposite(), "LED");
        String buzzerError = drive(buzzer, signal.buzzer() ? config.buzzerActive() : config.buzzerActive().opposite(), "buzzer");
        String error = buzzerError != null ? buzzerError : ledError;
        if (error != null && fault == null) {
            Logger.error("annunciator: {}", error);
        } else if (error == null && fault != null) {
            Logger.info("annunciator works again");
        }
        fault = error;
        return signal.nextChangeNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : startedNanos + signal.nextChangeNanos();
    }

    @Override
    public synchronized Priority priority() {
        return priority;
    }

    @Override
    public synchronized boolean audible() {
        return audible;
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
