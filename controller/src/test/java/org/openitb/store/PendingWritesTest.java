package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.alarm.RiskRecord;
import org.openitb.journal.TherapyEvent;

/** What waits for the disk: bounded, kept in order through failed writes, and what overflows is counted. */
class PendingWritesTest {

    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private final PendingWrites pending = new PendingWrites();

    private static TherapyEvent event(int n) {
        return new TherapyEvent("e" + n, T, n, "tester", Map.of());
    }

    @Test
    void aFailedBatchIsWrittenFirstNextTimeInItsOrder() {
        pending.journal(event(1));
        pending.journal(event(2));
        pending.sent(7);
        PendingWrites.Batch first = pending.drain();
        pending.failed(first);
        pending.journal(event(3));
        pending.sent(5);
        assertFalse(pending.isEmpty());
        PendingWrites.Batch second = pending.drain();
        assertEquals(List.of("e1", "e2", "e3"), second.journal().stream().map(TherapyEvent::type).toList());
        assertEquals(7, second.sentThrough(), "what the broker has only grows");
        assertTrue(pending.isEmpty());
    }

    @Test
    void whatDoesNotFitIsCountedNotBlockedOn() {
        for (int i = 0; i < PumpStore.JOURNAL_QUEUE_LIMIT + 25; i++) {
            pending.journal(event(i));
        }
        for (int i = 0; i < PumpStore.OUTBOX_QUEUE_LIMIT + 3; i++) {
            pending.outbox(new OutboxMessage(0, "t", 1, "p", T));
        }
        PendingWrites.Batch b = pending.drain();
        assertEquals(PumpStore.JOURNAL_QUEUE_LIMIT, b.journal().size());
        assertEquals(25, b.lostEvents());
        assertEquals(3, b.lostOutbox());
        pending.failed(b);
        assertEquals(28, pending.drain().lost(), "losses survive a failed write until they are journaled");
    }

    @Test
    void onlyTheNewestStateIsWritten() {
        pending.state(StateCodecTest.sample(1));
        pending.state(StateCodecTest.sample(2));
        PendingWrites.Batch b = pending.drain();
        assertEquals(2, b.state().orElseThrow().revision());
        pending.failed(b);
        assertEquals(2, pending.drain().state().orElseThrow().revision(), "a failed state is kept unless a newer one came");
        pending.failed(new PendingWrites.Batch(List.of(), List.of(), List.of(), Optional.of(StateCodecTest.sample(3)),
                Optional.empty(), List.of(), -1, 0, 0, 0));
        pending.state(StateCodecTest.sample(4));
        assertEquals(4, pending.drain().state().orElseThrow().revision());
    }

    @Test
    void onlyTheNewestRiskEstimateIsWrittenAndAFailedOneIsKept() {
        pending.risk(new RiskRecord(Instant.EPOCH, 1, 2));
        pending.risk(new RiskRecord(Instant.EPOCH, 3, 4));
        PendingWrites.Batch b = pending.drain();
        assertEquals(3, b.risk().orElseThrow().levelNg());
        pending.failed(b);
        assertEquals(3, pending.drain().risk().orElseThrow().levelNg(), "a failed estimate is written next time");
        assertTrue(pending.isEmpty());
    }
}
