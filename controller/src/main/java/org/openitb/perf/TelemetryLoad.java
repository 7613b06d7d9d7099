package org.openitb.perf;

import java.util.Map;
import java.util.Objects;
import org.openitb.clock.Clock;
import org.openitb.journal.TherapyEvent;
import org.openitb.store.PumpStore;
import org.openitb.telemetry.TelemetryFeed;

/**
 * Telemetry traffic far above a pump's own (a few events an hour, a state snapshot a minute):
 * journal events at a steady rate, each journaled and turned into its MQTT message in the outbox
 * in one transaction, exactly as the pump's journal path does. The daemon's publisher, when it has
 * a broker, sends them; without one they wait in the outbox, written to disk all the same.
 */
public final class TelemetryLoad implements AutoCloseable {

    /** The most events per second asked for. */
    public static final int MAX_PER_SECOND = 1_000;

    private final BenchThread thread;
    private volatile long events;

    private TelemetryLoad(Clock clock, PumpStore store, String pumpId, int perSecond) {
        TelemetryFeed feed = new TelemetryFeed(pumpId, store);
        long periodNanos = 1_000_000_000L / perSecond;
        this.thread = BenchThread.start("bench-telemetry", Thread.NORM_PRIORITY, t -> {
            long next = clock.nanos();
            long n = 0;
            while (t.running()) {
                TherapyEvent e = new TherapyEvent("bench-telemetry", clock.instant(), clock.nanos(), "bench", Map.of("n", n++));
                store.atomically(() -> {
                    store.accept(e);
                    feed.journal(e);
                });
                events = n;
                next += periodNanos;
                t.pauseUntil(clock, next);
            }
        });
    }

    /** Starts {@code perSecond} events a second into {@code store}. */
    public static TelemetryLoad start(Clock clock, PumpStore store, String pumpId, int perSecond) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(pumpId, "pumpId");
        if (perSecond < 1 || perSecond > MAX_PER_SECOND) {
            throw new IllegalArgumentException("telemetry rate " + perSecond + "/s is outside 1.." + MAX_PER_SECOND);
        }
        return new TelemetryLoad(clock, store, pumpId, perSecond);
    }

    /** Events handed to the store so far. */
    public long events() {
        return events;
    }

    @Override
    public void close() {
        thread.close();
    }
}
