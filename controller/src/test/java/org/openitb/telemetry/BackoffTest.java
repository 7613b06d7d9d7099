package org.openitb.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wait between connection attempts: none first, 1 s doubling to the cap, reset by a success. */
class BackoffTest {

    private static final long S = 1_000_000_000L;

    @Test
    void waitsDoubleFromOneSecondUpToTheCapAndASuccessStartsAgain() {
        Backoff b = new Backoff(Duration.ofSeconds(5), 100);
        assertTrue(b.due(100), "the first attempt is not delayed");
        assertEquals(S, b.failed(100));
        assertFalse(b.due(100 + S - 1));
        assertTrue(b.due(100 + S));
        assertEquals(2 * S, b.failed(100 + S));
        assertEquals(4 * S, b.failed(100 + 3 * S));
        assertEquals(5 * S, b.failed(100 + 7 * S), "capped");
        assertEquals(5 * S, b.failed(100 + 12 * S));
        b.succeeded();
        b.retryNow(200 * S);
        assertTrue(b.due(200 * S), "a lost connection is retried at once");
        assertEquals(S, b.failed(200 * S));
    }
}
