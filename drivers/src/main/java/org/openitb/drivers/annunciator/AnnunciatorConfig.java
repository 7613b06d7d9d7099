package org.openitb.drivers.annunciator;

import java.util.Objects;
import org.openitb.drivers.gpio.Level;

/**
 * Wiring of the local alarm signals: an active buzzer (sounds while its pin is active) and an LED.
 *
 * @param buzzerPin    BCM pin of the buzzer
 * @param buzzerActive level that sounds it
 * @param ledPin       BCM pin of the LED
 * @param ledActive    level that lights it
 */
public record AnnunciatorConfig(int buzzerPin, Level buzzerActive, int ledPin, Level ledActive) {
    public AnnunciatorConfig {
        Objects.requireNonNull(buzzerActive, "buzzerActive");
        Objects.requireNonNull(ledActive, "ledActive");
        if (buzzerPin == ledPin) {
            throw new IllegalArgumentException("buzzer and LED cannot share BCM " + buzzerPin);
        }
    }
}
