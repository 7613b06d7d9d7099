package org.openitb.drivers.sensor;

/**
 * Debounce and chatter detection for one input, as pure logic on sample times. A raw level is
 * believed once it has held still, with no edge seen, for the debounce time. More than
 * {@code chatterEdges} edges inside {@code chatterWindowNanos} is chatter, which lasts until a
 * whole window passes without an edge.
 */
final class InputFilter {

    private final long debounceNanos;
    private final long chatterWindowNanos;
    /** Times of the most recent edges, one slot per edge, a ring one longer than the chatter limit. */
    private final long[] edgeTimes;
    private int edgeHead;
    private long edgesRecorded;
    private long lastEdgeNanos;

    private boolean started;
    private boolean debounced;
    private boolean candidate;
    private long candidateSinceNanos;
    private boolean chattering;

    InputFilter(long debounceNanos, int chatterEdges, long chatterWindowNanos) {
        if (debounceNanos < 0 || chatterEdges < 1 || chatterWindowNanos <= 0) {
            throw new IllegalArgumentException("debounce " + debounceNanos + " ns, chatter " + chatterEdges
                    + " edges in " + chatterWindowNanos + " ns");
        }
        this.debounceNanos = debounceNanos;
        this.chatterWindowNanos = chatterWindowNanos;
        this.edgeTimes = new long[chatterEdges + 1];
    }

    /**
     * One sample: the raw state now ({@code true} = active) and how many edges the hardware saw
     * since the previous sample. The first sample is believed at once, so a condition present at
     * start-up is reported without waiting.
     */
    void sample(long nowNanos, boolean raw, long newEdges) {
        if (!started) {
            started = true;
            debounced = raw;
            candidate = raw;
            candidateSinceNanos = nowNanos;
            return;
        }
        recordEdges(nowNanos, newEdges);
        if (raw != candidate || newEdges > 0) {
            candidate = raw;
            candidateSinceNanos = nowNanos;
        }
        if (candidate != debounced && nowNanos - candidateSinceNanos >= debounceNanos) {
            debounced = candidate;
        }
    }

    boolean debounced() {
        return debounced;
    }

    boolean chattering() {
        return chattering;
    }

    /** When a pending change will have held still long enough, or {@link Long#MAX_VALUE} if none is pending. */
    long nextDeadline() {
        return started && candidate != debounced ? candidateSinceNanos + debounceNanos : Long.MAX_VALUE;
    }

    private void recordEdges(long nowNanos, long newEdges) {
        if (newEdges > 0) {
            long slots = Math.min(newEdges, edgeTimes.length);
            for (long i = 0; i < slots; i++) {
                edgeTimes[edgeHead] = nowNanos;
                edgeHead = (edgeHead + 1) % edgeTimes.length;
            }
            edgesRecorded += slots;
            lastEdgeNanos = nowNanos;
            // The ring is full and its oldest edge is inside the window: more than the limit in one window.
            if (edgesRecorded >= edgeTimes.length && nowNanos - edgeTimes[edgeHead] <= chatterWindowNanos) {
                chattering = true;
            }
        } else if (chattering && nowNanos - lastEdgeNanos >= chatterWindowNanos) {
            chattering = false;
        }
    }
}
