package org.openitb.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openitb.therapy.Volume;

/**
 * Tells when the write-ahead record falls behind the dose loop by more than its bound (steps went
 * out so far ahead of their mark that a crash would leave more uncertain than
 * {@code store.max-crash-uncertainty}: the disk is too slow for it) and when it has kept up again
 * for {@link #QUIET_NANOS}. Delivery never waits for it; this is how it is heard.
 */
final class StorageWatch {

    /** An episode ends after this long with every step covered. */
    static final long QUIET_NANOS = 600_000_000_000L;

    /** An episode starting or ending, to journal. */
    record Change(String type, Map<String, Object> details) {
    }

    private final Volume perMicrostep;
    private long seenSteps;
    private long lastUncoveredNanos;
    private boolean slow;
    private long episodeSteps;
    private long episodePeak;
    private WriteAheadHealth last = WriteAheadHealth.NONE;

    StorageWatch(Volume perMicrostep) {
        this.perMicrostep = perMicrostep;
    }

    /** Takes the record's health at {@code now}; returns the start or end of an episode, if one came. */
    Optional<Change> update(long now, WriteAheadHealth h) {
        last = h;
        long fresh = h.beyondBoundSteps() - seenSteps;
        seenSteps = h.beyondBoundSteps();
        if (fresh > 0) {
            lastUncoveredNanos = now;
            episodeSteps += fresh;
            episodePeak = Math.max(episodePeak, h.uncoveredMicrosteps());
            if (!slow) {
                slow = true;
                return Optional.of(new Change("storage-too-slow", details(h)));
            }
        } else if (slow && now - lastUncoveredNanos >= QUIET_NANOS) {
            slow = false;
            Map<String, Object> d = details(h);
            d.put("stepsBeyondBoundInEpisode", episodeSteps);
            d.put("episodePeak", volume(Math.max(episodePeak, h.uncoveredPeakMicrosteps())).toDisplayString());
            episodeSteps = 0;
            episodePeak = 0;
            return Optional.of(new Change("storage-keeps-up", d));
        }
        return Optional.empty();
    }

    /** The health last taken. */
    WriteAheadHealth health() {
        return last;
    }

    /**
     * What to tell while an episode lasts. {@code failing} is why the memory cannot be written, if it
     * cannot: then the record fell behind because a write fails (a file that cannot be opened, EPERM),
     * not because the disk is slow, and it says so.
     */
    Optional<String> alert(Optional<String> failing) {
        if (!slow) {
            return Optional.empty();
        }
        if (failing.isPresent()) {
            return Optional.of("the delivery mark cannot be written where it should be (see STORAGE_FAILURE), and up to "
                    + last.uncoveredPeakMicrosteps() + " microsteps (" + volume(last.uncoveredPeakMicrosteps()).toDisplayString()
                    + ") went out before anything on disk covered them, more than store.max-crash-uncertainty ("
                    + volume(last.boundMicrosteps()).toDisplayString() + "); delivery goes on, and a crash would book them as delivered");
        }
        return Optional.of("the state disk is too slow for store.max-crash-uncertainty (" + volume(last.boundMicrosteps()).toDisplayString()
                + "): the delivery mark takes up to " + last.commitLatencyNanos() / 1_000_000 + " ms to commit, and up to "
                + last.uncoveredPeakMicrosteps() + " microsteps (" + volume(last.uncoveredPeakMicrosteps()).toDisplayString()
                + ") went out before it covered them; delivery goes on, and a crash would book them as delivered");
    }

    private Map<String, Object> details(WriteAheadHealth h) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("commitLatencyMs", h.commitLatencyNanos() / 1_000_000);
        d.put("bound", volume(h.boundMicrosteps()).toDisplayString());
        d.put("uncoveredMicrosteps", h.uncoveredMicrosteps());
        d.put("uncoveredPeak", volume(h.uncoveredPeakMicrosteps()).toDisplayString());
        return d;
    }

    private Volume volume(long microsteps) {
        return new Volume(Math.multiplyExact(microsteps, perMicrostep.picolitres()));
    }
}
