package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.sim.Bench;
import org.openitb.store.Sample;

/** When the sampler takes a sample: a period after it starts, on its grid, and never from a dose loop's stale snapshot. */
class SamplerTest {

    private static final long PERIOD = Duration.ofMinutes(5).toNanos();
    private static final long SECOND = 1_000_000_000L;

    private final List<Sample> taken = new ArrayList<>();

    /** The bench's status as the dose loop would have published it at {@code nanos}. */
    private static DeliveryStatus snapshotAt(DeliveryStatus s, long nanos) {
        return new DeliveryStatus(nanos, s.at(), s.running(), s.supply(), s.counts(), s.health(), s.plan());
    }

    @Test
    void aDoseLoopThatHasNotAnsweredForAPeriodLeavesAHoleAndIsAskedAgainEachSecond() {
        try (Bench bench = Bench.utc()) {
            DeliveryStatus status = bench.status();
            Sampler sampler = new Sampler(taken::add, bench.clock);
            long t0 = 1_000 * SECOND;
            assertEquals(t0 + PERIOD, sampler.tick(t0, snapshotAt(status, t0), Optional.empty()), "the first a period after start");
            assertEquals(List.of(), taken);
            // Due, but the snapshot is a period and a nanosecond old: nothing is taken, and it asks again in a second.
            long due = t0 + PERIOD;
            assertEquals(due + SECOND, sampler.tick(due, snapshotAt(status, due - PERIOD - 1), Optional.empty()));
            assertEquals(List.of(), taken);
            // Exactly a period old is still taken; the next is due on the grid of the first, not a period from now.
            long late = due + 3 * SECOND;
            assertEquals(t0 + 2 * PERIOD, sampler.tick(late, snapshotAt(status, late - PERIOD), Optional.empty()));
            assertEquals(1, taken.size());
            // A dose loop silent across whole periods: the grid skips them, one sample for the lot.
            long after = t0 + 4 * PERIOD + SECOND;
            assertEquals(t0 + 5 * PERIOD, sampler.tick(after, snapshotAt(status, after), Optional.empty()));
            assertEquals(2, taken.size());
        }
    }
}
