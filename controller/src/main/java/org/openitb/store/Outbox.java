package org.openitb.store;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * The durable queue between the pump and the broker: messages are numbered per topic when
 * queued, read back in order once on disk, and leave only when the broker acknowledged them.
 * {@link org.openitb.store.PumpStore} is the one implementation; it survives restarts.
 */
public interface Outbox {

    /** Queues a message whose payload is written with its number; empty if it was lost (queue full). Never blocks. */
    OptionalLong enqueue(String topic, LongFunction<String> payload);

    /** Messages on disk after outbox place {@code seq}, oldest first, at most {@code limit}. */
    List<OutboxMessage> outboxAfter(long seq, int limit) throws StoreException;

    /** The broker has everything up to outbox place {@code seq}. */
    void sent(long seq);

    /** Called after messages reach the disk; must not block. */
    void onOutboxWritten(Runnable listener);
}
