package org.openitb.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openitb.delivery.DurableState;
import org.openitb.journal.TherapyEvent;
import org.openitb.alarm.AlarmRecord;
import org.openitb.alarm.RiskRecord;

/**
 * What the pump has handed to the store and the disk does not have yet: bounded queues that any
 * thread fills without waiting, drained by the writer into one transaction. What overflows while
 * the disk is failing is counted, and the count is journaled once writing works again.
 */
final class PendingWrites {

    /** One transaction's worth, with the losses to journal. */
    record Batch(List<TherapyEvent> journal, List<AlarmRecord> alarms, List<OutboxMessage> outbox, Optional<DurableState> state,
            Optional<RiskRecord> risk, List<Sample> samples, long sentThrough, long lostEvents, long lostAlarms, long lostOutbox) {

        long lost() {
            return lostEvents + lostAlarms + lostOutbox;
        }
    }

    private final ArrayBlockingQueue<TherapyEvent> journal = new ArrayBlockingQueue<>(PumpStore.JOURNAL_QUEUE_LIMIT);
    private final ArrayBlockingQueue<AlarmRecord> alarms = new ArrayBlockingQueue<>(PumpStore.ALARM_QUEUE_LIMIT);
    private final ArrayBlockingQueue<OutboxMessage> outbox = new ArrayBlockingQueue<>(PumpStore.OUTBOX_QUEUE_LIMIT);
    private final ArrayBlockingQueue<Sample> samples = new ArrayBlockingQueue<>(Sample.QUEUE_LIMIT);
    private final AtomicReference<DurableState> latest = new AtomicReference<>();
    private final AtomicReference<RiskRecord> latestRisk = new AtomicReference<>();
    private final AtomicLong sentThrough = new AtomicLong(-1);
    private final AtomicLong lostEvents = new AtomicLong();
    private final AtomicLong lostAlarms = new AtomicLong();
    private final AtomicLong lostOutbox = new AtomicLong();
    /** Drained but not yet committed: written first in the next attempt, kept in their order. Writer thread only. */
    private Batch retry;

    void journal(TherapyEvent event) {
        if (!journal.offer(Objects.requireNonNull(event, "event"))) {
            lostEvents.incrementAndGet();
        }
    }

    void alarm(AlarmRecord alarm) {
        if (!alarms.offer(Objects.requireNonNull(alarm, "alarm"))) {
            lostAlarms.incrementAndGet();
        }
    }

    boolean outbox(OutboxMessage message) {
        boolean queued = outbox.offer(Objects.requireNonNull(message, "message"));
        if (!queued) {
            lostOutbox.incrementAndGet();
        }
        return queued;
    }

    /** A sample the queue has no room for is dropped: the report shows the gap, and nothing else waits for it. */
    void sample(Sample sample) {
        samples.offer(Objects.requireNonNull(sample, "sample"));
    }

    void state(DurableState state) {
        latest.set(Objects.requireNonNull(state, "state"));
    }

    void risk(RiskRecord risk) {
        latestRisk.set(Objects.requireNonNull(risk, "risk"));
    }

    void sent(long seq) {
        sentThrough.accumulateAndGet(seq, Math::max);
    }

    boolean isEmpty() {
        return retry == null && journal.isEmpty() && alarms.isEmpty() && outbox.isEmpty() && samples.isEmpty() && latest.get() == null && latestRisk.get() == null
                && sentThrough.get() < 0 && lostEvents.get() + lostAlarms.get() + lostOutbox.get() == 0;
    }

    /** On the writer: everything pending, the batch that failed last time first. */
    Batch drain() {
        List<TherapyEvent> j = new ArrayList<>();
        List<AlarmRecord> a = new ArrayList<>();
        List<OutboxMessage> o = new ArrayList<>();
        List<Sample> s = new ArrayList<>();
        if (retry != null) {
            j.addAll(retry.journal());
            a.addAll(retry.alarms());
            o.addAll(retry.outbox());
            s.addAll(retry.samples());
        }
        journal.drainTo(j);
        alarms.drainTo(a);
        outbox.drainTo(o);
        samples.drainTo(s, Math.max(0, Sample.QUEUE_LIMIT - s.size()));
        DurableState state = latest.getAndSet(null);
        RiskRecord risk = latestRisk.getAndSet(null);
        Batch b = new Batch(j, a, o, Optional.ofNullable(state).or(() -> retry == null ? Optional.empty() : retry.state()),
                Optional.ofNullable(risk).or(() -> retry == null ? Optional.empty() : retry.risk()), s,
                Math.max(sentThrough.getAndSet(-1), retry == null ? -1 : retry.sentThrough()),
                lostEvents.getAndSet(0) + (retry == null ? 0 : retry.lostEvents()),
                lostAlarms.getAndSet(0) + (retry == null ? 0 : retry.lostAlarms()),
                lostOutbox.getAndSet(0) + (retry == null ? 0 : retry.lostOutbox()));
        retry = null;
        return b;
    }

    /** On the writer: {@code b} did not reach the disk; it goes first next time. */
    void failed(Batch b) {
        retry = b;
    }
}
