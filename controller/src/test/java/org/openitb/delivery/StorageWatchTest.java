package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.therapy.Volume;

/** A disk too slow for the bound is told once when it starts, shown while it lasts, and told again when it has kept up for ten minutes. */
class StorageWatchTest {

    private static final long MINUTE = 60_000_000_000L;
    private final StorageWatch watch = new StorageWatch(Volume.parse("100nL"));

    private static WriteAheadHealth health(long uncovered, long peak, long beyond) {
        return new WriteAheadHealth(200_000_000L, 200, 0, uncovered, uncovered, peak, beyond);
    }

    @Test
    void stepsAFewAheadOfTheirMarkWithinTheBoundAreNotAnAlarm() {
        assertEquals(Optional.empty(), watch.update(0, health(100, 100, 0)));
        assertEquals(Optional.empty(), watch.alert(Optional.empty()));
    }

    @Test
    void beyondTheBoundItIsToldOnceShownAndToldAgainWhenItKeepsUp() {
        StorageWatch.Change start = watch.update(0, health(350, 350, 150)).orElseThrow();
        assertEquals("storage-too-slow", start.type());
        assertEquals("0.020mL", start.details().get("bound"));
        assertEquals("0.035mL", start.details().get("uncoveredPeak"));
        String alert = watch.alert(Optional.empty()).orElseThrow();
        assertTrue(alert.startsWith("the state disk is too slow for store.max-crash-uncertainty (0.020mL): the delivery mark takes up to 200 ms"),
                alert);
        String failing = watch.alert(Optional.of("the delivery mark cannot be written to /var/lib/openitb/delivery.mark")).orElseThrow();
        assertTrue(failing.startsWith("the delivery mark cannot be written where it should be (see STORAGE_FAILURE), and up to 350"
                + " microsteps (0.035mL) went out before anything on disk covered them"), "a write that fails is not a slow disk: " + failing);
        assertEquals(Optional.empty(), watch.update(MINUTE, health(0, 350, 160)), "the same episode");
        assertEquals(Optional.empty(), watch.update(10 * MINUTE, health(0, 350, 160)), "not yet ten minutes since the last one");
        StorageWatch.Change end = watch.update(11 * MINUTE + 1, health(0, 350, 160)).orElseThrow();
        assertEquals("storage-keeps-up", end.type());
        assertEquals(160L, end.details().get("stepsBeyondBoundInEpisode"));
        assertEquals(Optional.empty(), watch.alert(Optional.empty()));
    }
}
