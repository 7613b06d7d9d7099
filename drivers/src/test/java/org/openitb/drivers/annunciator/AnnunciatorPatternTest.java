package org.openitb.drivers.annunciator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openitb.drivers.annunciator.AnnunciatorPattern.Signal;

/** The patterns against the bounds of IEC 60601-1-8, sampled every millisecond. */
class AnnunciatorPatternTest {

    private static final long MS = 1_000_000L;

    @Test
    void highFlashesBetweenOnePointFourAndTwoPointEightHertz() {
        double hz = flashRateHz(Priority.HIGH, 60_000);
        assertTrue(hz >= 1.4 && hz <= 2.8, "high priority flashes at " + hz + " Hz");
        assertEquals(0.5, dutyCycle(Priority.HIGH, 60_000), 0.01);
    }

    @Test
    void mediumFlashesBetweenPointFourAndPointEightHertz() {
        double hz = flashRateHz(Priority.MEDIUM, 60_000);
        assertTrue(hz >= 0.4 && hz <= 0.8, "medium priority flashes at " + hz + " Hz");
    }

    @Test
    void lowIsASteadyLightWithoutSound() {
        for (long t = 0; t < 60_000; t += 7) {
            Signal s = AnnunciatorPattern.at(Priority.LOW, true, t * MS);
            assertTrue(s.led());
            assertFalse(s.buzzer());
        }
    }

    @Test
    void noneIsDarkAndSilent() {
        Signal s = AnnunciatorPattern.at(Priority.NONE, true, 12_345 * MS);
        assertFalse(s.led());
        assertFalse(s.buzzer());
        assertEquals(Long.MAX_VALUE, s.nextChangeNanos());
    }

    @Test
    void highSoundsTenTonesPerBurstAndMediumThree() {
        assertEquals(10, tonesIn(Priority.HIGH, AnnunciatorPattern.burstPeriodNanos(Priority.HIGH) / MS));
        assertEquals(3, tonesIn(Priority.MEDIUM, AnnunciatorPattern.burstPeriodNanos(Priority.MEDIUM) / MS));
        assertEquals(10, AnnunciatorPattern.tonesPerBurst(Priority.HIGH));
        assertEquals(3, AnnunciatorPattern.tonesPerBurst(Priority.MEDIUM));
    }

    @Test
    void burstsRepeat() {
        long period = AnnunciatorPattern.burstPeriodNanos(Priority.HIGH) / MS;
        assertEquals(30, tonesIn(Priority.HIGH, 3 * period));
        assertTrue(period >= 2_500 && period <= 15_000, "high bursts repeat every " + period + " ms");
    }

    @Test
    void silencedPatternsKeepTheLightAndDropTheSound() {
        for (long t = 0; t < 20_000; t++) {
            Signal loud = AnnunciatorPattern.at(Priority.HIGH, true, t * MS);
            Signal quiet = AnnunciatorPattern.at(Priority.HIGH, false, t * MS);
            assertEquals(loud.led(), quiet.led());
            assertFalse(quiet.buzzer());
        }
    }

    @Test
    void nextChangeIsExactlyWhereTheOutputsChange() {
        for (Priority p : new Priority[] {Priority.HIGH, Priority.MEDIUM}) {
            long t = 0;
            while (t < 30_000 * MS) {
                Signal s = AnnunciatorPattern.at(p, true, t);
                assertTrue(s.nextChangeNanos() > t);
                Signal justBefore = AnnunciatorPattern.at(p, true, s.nextChangeNanos() - 1);
                assertEquals(s.led(), justBefore.led());
                assertEquals(s.buzzer(), justBefore.buzzer());
                Signal after = AnnunciatorPattern.at(p, true, s.nextChangeNanos());
                assertTrue(after.led() != s.led() || after.buzzer() != s.buzzer(), p + " at " + t);
                t = s.nextChangeNanos();
            }
        }
    }

    private static double flashRateHz(Priority priority, long durationMs) {
        return rises(priority, durationMs, Signal::led) / (durationMs / 1000.0);
    }

    private static double dutyCycle(Priority priority, long durationMs) {
        long on = 0;
        for (long t = 0; t < durationMs; t++) {
            if (AnnunciatorPattern.at(priority, true, t * MS).led()) {
                on++;
            }
        }
        return on / (double) durationMs;
    }

    private static int tonesIn(Priority priority, long durationMs) {
        return rises(priority, durationMs, Signal::buzzer);
    }

    /** How often {@code output} switches on within {@code durationMs}, sampled every millisecond. */
    private static int rises(Priority priority, long durationMs, Predicate<Signal> output) {
        int rises = 0;
        boolean previous = false;
        for (long t = 0; t < durationMs; t++) {
            boolean on = output.test(AnnunciatorPattern.at(priority, true, t * MS));
            if (on && !previous) {
                rises++;
            }
            previous = on;
        }
        return rises;
    }
}
