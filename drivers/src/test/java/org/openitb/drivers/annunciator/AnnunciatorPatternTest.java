package org.openitb.drivers.annunciator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.LongFunction;
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
            Signal s = AnnunciatorPattern.light(Priority.LOW, t * MS);
            assertTrue(s.on());
            assertFalse(AnnunciatorPattern.sound(Priority.LOW, t * MS).on());
        }
    }

    @Test
    void noneIsDarkAndSilent() {
        for (Signal s : new Signal[] {AnnunciatorPattern.light(Priority.NONE, 12_345 * MS), AnnunciatorPattern.sound(Priority.NONE, 12_345 * MS)}) {
            assertFalse(s.on());
            assertEquals(Long.MAX_VALUE, s.nextChangeNanos());
        }
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
    void nextChangeIsExactlyWhereTheOutputChanges() {
        for (Priority p : new Priority[] {Priority.HIGH, Priority.MEDIUM}) {
            for (LongFunction<Signal> output : List.<LongFunction<Signal>>of(t -> AnnunciatorPattern.light(p, t), t -> AnnunciatorPattern.sound(p, t))) {
                long t = 0;
                while (t < 30_000 * MS) {
                    Signal s = output.apply(t);
                    assertTrue(s.nextChangeNanos() > t);
                    assertEquals(s.on(), output.apply(s.nextChangeNanos() - 1).on());
                    assertTrue(output.apply(s.nextChangeNanos()).on() != s.on(), p + " at " + t);
                    t = s.nextChangeNanos();
                }
            }
        }
    }

    private static double flashRateHz(Priority priority, long durationMs) {
        return rises(durationMs, t -> AnnunciatorPattern.light(priority, t)) / (durationMs / 1000.0);
    }

    private static double dutyCycle(Priority priority, long durationMs) {
        long on = 0;
        for (long t = 0; t < durationMs; t++) {
            if (AnnunciatorPattern.light(priority, t * MS).on()) {
                on++;
            }
        }
        return on / (double) durationMs;
    }

    private static int tonesIn(Priority priority, long durationMs) {
        return rises(durationMs, t -> AnnunciatorPattern.sound(priority, t));
    }

    /** How often {@code output} switches on within {@code durationMs}, sampled every millisecond. */
    private static int rises(long durationMs, LongFunction<Signal> output) {
        int rises = 0;
        boolean previous = false;
        for (long t = 0; t < durationMs; t++) {
            boolean on = output.apply(t * MS).on();
            if (on && !previous) {
                rises++;
            }
            previous = on;
        }
        return rises;
    }
}
