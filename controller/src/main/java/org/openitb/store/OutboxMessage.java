package org.openitb.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A telemetry message waiting for the broker: its place in the outbox (increasing across
 * restarts, the order of sending), topic, its number within that topic (the {@code seq} receivers
 * see: +1 per message, contiguous across restarts), payload and when it was queued.
 */
public record OutboxMessage(long seq, String topic, long topicSeq, String payload, Instant queuedAt) {

    /** Longest topic accepted, in characters. */
    public static final int TOPIC_LIMIT = 256;
    /** Largest payload accepted, in UTF-8 bytes: an alarm or event is far smaller. */
    public static final int PAYLOAD_LIMIT = 16 * 1024;

    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(queuedAt, "queuedAt");
        if (topic.isEmpty() || topic.length() > TOPIC_LIMIT) {
            throw new IllegalArgumentException("an outbox topic must be 1 to " + TOPIC_LIMIT + " characters, not " + topic.length());
        }
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("an outbox payload of " + bytes + " bytes is above the limit of " + PAYLOAD_LIMIT);
        }
    }
}
