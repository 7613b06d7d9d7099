package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.alarm.AlarmRecord;
import org.openitb.clock.SimulatedClock;
import org.openitb.clock.SystemClock;
import org.openitb.journal.JournalEntry;
import org.openitb.journal.TherapyEvent;

/** The pump's memory on a real SQLite file: what goes in comes back after a restart, and a bad file is never trusted. */
class PumpStoreTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-03-01T08:00:00Z"), ZoneId.of("UTC"));
    private final SystemClock real = new SystemClock(ZoneId.of("UTC"));

    private PumpStore open() throws StoreException {
        return PumpStore.open(dir, clock, real);
    }

    private TherapyEvent event(String type, Map<String, Object> details) {
        return new TherapyEvent(type, clock.instant(), clock.nanos(), "tester", details);
    }

    @Test
    void aNewDatabaseIsInWalModeAtTheCurrentSchemaVersionAndRemembersNothing() throws Exception {
        try (PumpStore store = open()) {
            assertEquals(Optional.empty(), store.recovered());
            assertEquals(0, store.startMicrosteps());
            assertTrue(store.flush(FLUSH));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE))) {
            assertEquals("wal", pragma(c, "journal_mode"));
            assertEquals(String.valueOf(Schema.VERSION), pragma(c, "user_version"));
        }
    }

    @Test
    void theJournalComesBackOldestFirstWithItsDetailsAfterARestart() throws Exception {
        try (PumpStore store = open()) {
            store.accept(event("program-changed", Map.of("program", Map.of("kind", "continuous", "rate", "400mcg/day"))));
            clock.advance(Duration.ofMinutes(5));
            store.accept(event("bolus-started", Map.of("bolus", "50mcg over 10m")));
            clock.advance(Duration.ofMinutes(5));
            store.accept(event("suspended", Map.of()));
            assertTrue(store.flush(FLUSH));
        }
        try (PumpStore store = open()) {
            List<JournalEntry> history = store.history(100);
            assertEquals(List.of("program-changed", "bolus-started", "suspended"), history.stream().map(JournalEntry::type).toList());
            assertEquals(Instant.parse("2026-03-01T08:05:00Z"), history.get(1).at());
            assertEquals("400mcg/day", history.get(0).details().getAsJsonObject("program").get("rate").getAsString());
            assertTrue(history.get(0).seq() < history.get(1).seq() && history.get(1).seq() < history.get(2).seq());
            assertEquals(List.of("bolus-started", "suspended"), store.history(2).stream().map(JournalEntry::type).toList(),
                    "a limit keeps the newest, still oldest first");
        }
    }

    @Test
    void theWriteAheadMarkCoversEveryStepAndARestartStartsFromIt() throws Exception {
        try (PumpStore store = open()) {
            for (long k = 1; k <= 1_000; k++) {
                store.beforeStep(k, Long.MAX_VALUE, k); // never waits: the mark's lane catches up, and closing covers the rest
            }
            assertTrue(store.flush(FLUSH));
        }
        try (PumpStore store = open()) {
            long start = store.startMicrosteps();
            assertTrue(start >= 1_000 && start < 1_000 + PumpStore.DEFAULT_BOUND_MICROSTEPS, "recovered " + start);
            assertEquals(start, store.recovered().orElseThrow().mark().microsteps());
        }
    }

    @Test
    void aMarkFileThatCannotBeOpenedLeavesTheDatabaseToCarryTheMark() throws Exception {
        try (PumpStore store = open()) {
            for (long k = 1; k <= 500; k++) {
                store.beforeStep(k, Long.MAX_VALUE, k);
            }
            assertTrue(store.flush(FLUSH));
        }
        // The mark's file cannot be opened (a directory stands in its place; as root, permissions would not stop us).
        Files.delete(dir.resolve(MarkLane.FILE));
        Files.createDirectory(dir.resolve(MarkLane.FILE));
        try (PumpStore store = open()) {
            long start = store.startMicrosteps();
            assertTrue(start >= 500, "the database's own mark and state are used, not thrown away: " + start);
            assertTrue(store.failure().orElse("").contains(MarkLane.FILE), "said: " + store.failure());
            long emitted = start;
            for (int i = 0; i < 2_000; i++) {
                emitted++;
                store.beforeStep(emitted, emitted + 20, emitted + 5);
                if (i % 100 == 0) {
                    real.parkUntil(real.nanos() + 2_000_000); // steps come over time, as the dose loop makes them
                }
            }
            long deadline = real.nanos() + FLUSH.toNanos();
            while (store.writeAhead().uncoveredMicrosteps() > 0 && real.nanos() < deadline) {
                real.parkUntil(real.nanos() + 1_000_000);
            }
            // A crash now: what is on disk (read as a restart reads it) covers every step that went out.
            long onDisk = PumpStore.lastMark(dir).orElseThrow().microsteps();
            assertTrue(onDisk >= emitted, "the mark on disk, " + onDisk + ", covers the " + emitted + " steps emitted");
            assertTrue(onDisk <= emitted + PumpStore.DEFAULT_BOUND_MICROSTEPS + store.writeAhead().uncoveredPeakMicrosteps(),
                    "and is not more than the bound and the largest uncovered run ahead: " + onDisk);
        }
    }

    @Test
    void alarmsNotClearedComeBackWithTheirLatestState() throws Exception {
        Instant t0 = clock.instant();
        try (PumpStore store = open()) {
            store.saveAlarm(new AlarmRecord("a1", "OCCLUSION", "high", "raised", t0, t0, Map.of("message", "occluded")));
            store.saveAlarm(new AlarmRecord("a2", "REFILL_DUE", "low", "raised", t0, t0, Map.of()));
            store.saveAlarm(new AlarmRecord("a1", "OCCLUSION", "high", "acknowledged", t0, t0.plusSeconds(60), Map.of("by", "nurse")));
            store.saveAlarm(new AlarmRecord("a2", "REFILL_DUE", "low", "cleared", t0, t0.plusSeconds(90), Map.of()));
            assertTrue(store.flush(FLUSH));
        }
        try (PumpStore store = open()) {
            List<AlarmRecord> alarms = store.recovered().orElseThrow().alarms();
            assertEquals(1, alarms.size());
            assertEquals("acknowledged", alarms.get(0).state());
            assertEquals("nurse", alarms.get(0).details().get("by"));
            assertEquals(t0.plusSeconds(60), alarms.get(0).changedAt());
            assertEquals(alarms, store.activeAlarms());
        }
    }

    @Test
    void theOutboxKeepsItsOrderAcrossRestartsAndNeverReusesASequenceNumber() throws Exception {
        long last;
        try (PumpStore store = open()) {
            assertTrue(store.enqueue("openitb/p1/alarm", seq -> "{\"n\":1}").isPresent());
            assertTrue(store.enqueue("openitb/p1/alarm", seq -> "{\"n\":2}").isPresent());
            assertTrue(store.enqueue("openitb/p1/event", seq -> "{\"n\":3}").isPresent());
            assertTrue(store.flush(FLUSH));
            List<OutboxMessage> waiting = store.outbox(10);
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), waiting.stream().map(OutboxMessage::payload).toList());
            store.sent(waiting.get(1).seq());
            assertTrue(store.flush(FLUSH));
            assertEquals(List.of("{\"n\":3}"), store.outbox(10).stream().map(OutboxMessage::payload).toList());
            last = waiting.get(2).seq();
            store.sent(last);
            assertTrue(store.flush(FLUSH));
            assertEquals(List.of(), store.outbox(10));
        }
        try (PumpStore store = open()) {
            store.enqueue("openitb/p1/alarm", seq -> "{\"n\":4}");
            assertTrue(store.flush(FLUSH));
            assertTrue(store.outbox(10).get(0).seq() > last, "sequence numbers go on after a restart, even with the outbox empty");
            assertEquals(3, store.outbox(10).get(0).topicSeq(), "each topic numbers its own messages, across restarts");
            assertEquals(2, store.enqueue("openitb/p1/event", seq -> "{\"seq\":" + seq + "}").getAsLong());
            assertTrue(store.flush(FLUSH));
            assertEquals("{\"seq\":2}", store.outbox(10).get(1).payload());
        }
    }

    @Test
    void numbersGoOnlyToMessagesTheOutboxTakes() throws Exception {
        try (PumpStore store = open()) {
            store.enqueue("openitb/p1/alarm", seq -> "{}");
            assertThrows(IllegalArgumentException.class, () -> store.enqueue("openitb/p1/alarm", seq -> "x".repeat(OutboxMessage.PAYLOAD_LIMIT + 1)));
            assertEquals(2, store.enqueue("openitb/p1/alarm", seq -> "{}").getAsLong(), "a refused payload uses no number");
            assertTrue(store.flush(FLUSH));
            assertEquals(List.of(1L, 2L), store.outboxAfter(0, 10).stream().map(OutboxMessage::topicSeq).toList());
            long first = store.outbox(10).get(0).seq();
            assertEquals(1, store.outboxAfter(first, 10).size(), "reading on from a place skips what was read");
        }
    }

    @Test
    void oversizedTelemetryIsRefusedBeforeItReachesTheQueue() throws Exception {
        try (PumpStore store = open()) {
            String big = "x".repeat(OutboxMessage.PAYLOAD_LIMIT + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.enqueue("openitb/p1/alarm", seq -> big));
            assertEquals("an outbox payload of 16385 bytes is above the limit of 16384", e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsUnreadableNotStartedAfresh() throws Exception {
        byte[] junk = new byte[8192];
        new Random(4).nextBytes(junk);
        Files.write(dir.resolve(PumpStore.FILE), junk);
        StoreException e = assertThrows(StoreException.class, this::open);
        assertEquals(StoreException.Kind.UNREADABLE, e.kind());
        assertTrue(Files.size(dir.resolve(PumpStore.FILE)) == 8192, "the file is left as it was, for the daemon to set aside");
    }

    @Test
    void aDatabaseWithDamagedPagesFailsItsIntegrityCheck() throws Exception {
        try (PumpStore store = open()) {
            for (int i = 0; i < 400; i++) {
                store.accept(event("rate-step", Map.of("filler", "x".repeat(200), "i", i)));
            }
            assertTrue(store.flush(FLUSH));
        }
        checkpoint();
        Path file = dir.resolve(PumpStore.FILE);
        long size = Files.size(file);
        assertTrue(size > 8 * 4096, "the journal spans many pages: " + size);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            // Scribble over the middle pages (not the header): the b-tree no longer holds together.
            raf.seek(2 * 4096);
            byte[] scribble = new byte[(int) (size / 2)];
            Arrays.fill(scribble, (byte) 0x5A);
            raf.write(scribble);
        }
        StoreException e = assertThrows(StoreException.class, this::open);
        assertEquals(StoreException.Kind.UNREADABLE, e.kind(), e.getMessage());
    }

    @Test
    void aDatabaseFromANewerOpenItbIsRefused() throws Exception {
        try (PumpStore store = open()) {
            assertTrue(store.flush(FLUSH));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE)); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.VERSION + 1));
        }
        StoreException e = assertThrows(StoreException.class, this::open);
        assertEquals(StoreException.Kind.UNREADABLE, e.kind());
        assertEquals("the database has schema version " + (Schema.VERSION + 1) + ", newer than this OpenITB knows (" + Schema.VERSION + ")",
                e.getMessage());
    }

    @Test
    void anEmptyDatabaseFileIsMigratedFromTheFirstVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE)); Statement s = c.createStatement()) {
            assertEquals(0, Schema.version(c));
        }
        try (PumpStore store = open()) {
            store.accept(event("refilled", Map.of("volume", "20mL")));
            assertTrue(store.flush(FLUSH));
            assertEquals(1, store.history(10).size());
        }
    }

    @Test
    void aStateDirectoryThatCannotHoldAFileIsUnavailable() throws Exception {
        Path notADirectory = dir.resolve("plain-file");
        Files.writeString(notADirectory, "not a directory");
        StoreException e = assertThrows(StoreException.class, () -> PumpStore.open(notADirectory, clock, real));
        assertEquals(StoreException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }

    @Test
    void theHeartbeatIsReadableWithoutOpeningTheDatabaseForWriting() throws Exception {
        assertEquals(Optional.empty(), PumpStore.lastMark(dir));
        try (PumpStore store = open()) {
            assertTrue(store.flush(FLUSH));
            clock.advance(Duration.ofMinutes(3));
        }
        DeliveryMark last = PumpStore.lastMark(dir).orElseThrow();
        assertEquals(clock.instant(), last.heartbeat(), "closing writes a last heartbeat on the pump's clock");
        assertFalse(last.heartbeatReal().isAfter(real.instant()));
    }

    private void checkpoint() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE)); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.getString(1);
        }
    }
}
