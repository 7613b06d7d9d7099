package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.journal.TherapyEvent;
import org.openitb.alarm.AlarmRecord;
import org.openitb.journal.JournalEntry;

/** The limits on the journal, the cleared alarms and the outbox, on a real SQLite file with small limits. */
class TableLimitsTest {

    private static final Instant AT = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path dir;

    private Connection c;

    @BeforeEach
    void open() throws Exception {
        c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("limits.db"));
        Schema.migrate(c);
    }

    @AfterEach
    void close() throws Exception {
        c.close();
    }

    @Test
    void theOutboxKeepsItsNewestMessagesAndSaysHowManyItDropped() throws Exception {
        for (int i = 1; i <= 30; i++) {
            Tables.insertOutbox(c, message(i));
        }
        Tables.deleteOutboxThrough(c, 10); // sent
        assertEquals(0, Tables.trimOutbox(c, 20));
        assertEquals(15, Tables.trimOutbox(c, 5));
        assertEquals(List.of(26L, 27L, 28L, 29L, 30L), outboxSeqs());
        // Numbers go on from the highest ever given, even after the newest rows were sent: still one run.
        Tables.deleteOutboxThrough(c, 30);
        for (int i = 31; i <= 40; i++) {
            Tables.insertOutbox(c, message(i));
        }
        assertEquals(List.of(31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L, 40L), outboxSeqs());
        assertEquals(7, Tables.trimOutbox(c, 3));
        assertEquals(List.of(38L, 39L, 40L), outboxSeqs());
        assertEquals(List.of(38L, 39L, 40L), Tables.outbox(c, 0, 100).stream().map(OutboxMessage::seq).toList());
    }

    @Test
    void onlyTheOldestClearedAlarmsGoAndNoActiveOne() throws Exception {
        for (int i = 1; i <= 10; i++) {
            String state = i % 3 == 0 ? "raised" : "cleared"; // 3, 6 and 9 still active
            Tables.saveAlarm(c, new AlarmRecord("A" + i, "OCCLUSION", "HIGH", state, AT, AT, Map.of()));
        }
        Tables.trimAlarms(c, 2);
        assertEquals(List.of("A3", "A6", "A9"), Tables.activeAlarms(c).stream().map(AlarmRecord::id).toList());
        assertEquals(List.of("A8", "A10"), column("SELECT id FROM alarm WHERE state = 'cleared' ORDER BY rowid", rs -> rs.getString(1)));
    }

    @Test
    void theJournalKeepsItsNewestRows() throws Exception {
        for (int i = 1; i <= 10; i++) {
            Tables.insertJournal(c, new TherapyEvent("event-" + i, AT, 0, "tester", Map.of()));
        }
        Tables.trimJournal(c, 4);
        assertEquals(List.of("event-7", "event-8", "event-9", "event-10"), Tables.journal(c, 100).stream().map(JournalEntry::type).toList());
    }

    private static OutboxMessage message(int n) {
        return new OutboxMessage(0, "openitb/bench/status", n, "{\"n\":" + n + "}", AT);
    }

    /** Reads one value per row, so a test states what the table holds without a helper per column type. */
    private interface Value<T> {
        T of(ResultSet row) throws SQLException;
    }

    private List<Long> outboxSeqs() throws SQLException {
        return column("SELECT seq FROM outbox ORDER BY seq", rs -> rs.getLong(1));
    }

    private <T> List<T> column(String sql, Value<T> value) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(value.of(rs));
            }
        }
        return out;
    }
}
