package org.openitb.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.clock.SimulatedClock;
import org.openitb.clock.SystemClock;
import org.openitb.journal.TherapyEvent;

/** Samples on a real SQLite file: written by the store's writer, kept within their limit, read back by a report's read-only look. */
class SampleTableTest {

    private static final Instant AT = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration FLUSH = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Sample sample(Instant at, long patientNg) {
        return new Sample(at, "delivering", patientNg + 1_000, patientNg, 400_000, OptionalLong.of(500_000), 18_000_000_000L,
                OptionalDouble.of(540.5), "none", OptionalLong.of(100), true);
    }

    @Test
    void whatTheStoreIsHandedComesBackThroughTheReportsReadOnlyLook() throws Exception {
        SimulatedClock clock = new SimulatedClock(AT, ZoneId.of("UTC"));
        Sample quiet = new Sample(AT.plusSeconds(600), "idle", 0, 0, 0, OptionalLong.empty(), 20_000_000_000L, OptionalDouble.empty(), "none",
                OptionalLong.empty(), false);
        try (PumpStore store = PumpStore.open(dir, clock, new SystemClock(ZoneId.of("UTC")))) {
            store.sample(sample(AT, 5));
            store.sample(sample(AT.plusSeconds(300), 1_393));
            store.sample(quiet);
            store.accept(new TherapyEvent("suspended", AT.plusSeconds(400), 0, "nurse", Map.of("for", "1h")));
            assertTrue(store.flush(FLUSH));
            // The daemon still holds the database open for writing: a report reads beside it.
            try (PumpHistory history = PumpHistory.open(dir)) {
                assertTrue(history.keepsSamples());
                assertEquals(List.of(sample(AT, 5), sample(AT.plusSeconds(300), 1_393), quiet), history.samples(AT, AT.plusSeconds(600)));
                assertEquals(List.of(sample(AT.plusSeconds(300), 1_393)), history.samples(AT.plusSeconds(1), AT.plusSeconds(599)),
                        "both ends are in the range, and only they");
                assertEquals(AT.plusSeconds(600), history.newest().orElseThrow());
                assertEquals(List.of("suspended"), history.journal(AT, AT.plusSeconds(600)).stream().map(e -> e.type()).toList());
                assertEquals(List.of(), history.journal(AT.plusSeconds(401), AT.plusSeconds(600)));
            }
        }
    }

    @Test
    void aMemoryItsDaemonClosedIsReadWithoutMakingAnythingBesideIt() throws Exception {
        try (PumpStore store = PumpStore.open(dir, new SimulatedClock(AT, ZoneId.of("UTC")), new SystemClock(ZoneId.of("UTC")))) {
            store.sample(sample(AT, 5));
            store.sample(sample(AT.plusSeconds(300), 400));
            store.sample(sample(AT.plusSeconds(600), 800));
            assertTrue(store.flush(FLUSH));
        }
        assertFalse(Files.exists(dir.resolve(PumpStore.FILE + "-wal")), "closed cleanly: no write-ahead log left");
        try (PumpHistory history = PumpHistory.open(dir)) {
            assertEquals(3, history.samples(AT, AT.plusSeconds(600)).size());
            assertEquals(sample(AT, 5), history.before(AT.plusSeconds(1)).orElseThrow());
            assertEquals(sample(AT.plusSeconds(600), 800), history.after(AT.plusSeconds(301)).orElseThrow());
            assertTrue(history.after(AT.plusSeconds(600)).isEmpty());
        }
        // Read as immutable: a read-only copy, or another user's, works, and nothing is left beside the database.
        assertFalse(Files.exists(dir.resolve(PumpStore.FILE + "-shm")));
        assertFalse(Files.exists(dir.resolve(PumpStore.FILE + "-wal")));
    }

    @Test
    void theNewestSamplesAreKeptWithinTheLimit() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("limits.db"))) {
            Schema.migrate(c);
            List<Sample> week = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                week.add(sample(AT.plusSeconds(300L * i), i));
            }
            SampleTable.insert(c, week.subList(0, 20), 25);
            SampleTable.insert(c, week.subList(20, 30), 25);
            List<Sample> kept = SampleTable.between(c, AT, AT.plusSeconds(300L * 30), 1_000);
            assertEquals(week.subList(5, 30), kept, "the oldest five went");
            assertEquals(3, SampleTable.between(c, AT, AT.plusSeconds(300L * 30), 3).size(), "a read is bounded");
        }
    }

    @Test
    void aMemoryFromBeforeSamplesIsReadForItsJournalAlone() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE)); Statement s = c.createStatement()) {
            Schema.migrate(c);
            s.execute("DROP TABLE sample");
            s.execute("PRAGMA user_version = 3");
            s.execute("INSERT INTO journal (at, type, who, details) VALUES ('2026-03-01T08:00:00Z', 'refilled', 'nurse', '{}')");
        }
        try (PumpHistory history = PumpHistory.open(dir)) {
            assertFalse(history.keepsSamples());
            assertEquals(List.of(), history.samples(AT.minusSeconds(60), AT.plusSeconds(60)));
            assertEquals(AT, history.newest().orElseThrow());
            assertEquals(1, history.journal(AT, AT).size());
        }
    }

    @Test
    void theJournalsRangeIsJudgedToTheNanosecondAndOnEachEntrysOwnTime() throws Exception {
        // Instant.toString drops a zero fraction: "08:00:00Z" sorts after "08:00:00.5Z" as text.
        List<String> at = List.of("2026-03-01T07:59:59.999999999Z", "2026-03-01T08:00:00Z", "2026-03-01T08:00:00.5Z", "2026-03-01T08:00:01Z",
                "2026-03-01T07:00:00Z", "2026-03-01T08:00:01.000000001Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PumpStore.FILE)); Statement s = c.createStatement()) {
            Schema.migrate(c);
            // The fifth was written after the wall clock was set back an hour.
            for (int i = 0; i < at.size(); i++) {
                s.execute("INSERT INTO journal (at, type, who, details) VALUES ('" + at.get(i) + "', 'e" + i + "', 'pump', '{}')");
            }
        }
        try (PumpHistory history = PumpHistory.open(dir)) {
            assertEquals(List.of("e1", "e2", "e3"), history.journal(AT, AT.plusSeconds(1)).stream().map(e -> e.type()).toList());
            assertEquals(List.of("e2"), history.journal(AT.plusMillis(1), AT.plusMillis(999)).stream().map(e -> e.type()).toList());
            assertEquals(List.of("e0", "e4"), history.journal(AT.minusSeconds(3600), AT.minusNanos(1)).stream().map(e -> e.type()).toList(),
                    "in the order written");
        }
    }

    @Test
    void noDatabaseIsAOneLineRefusal() {
        StoreException e = assertThrows(StoreException.class, () -> PumpHistory.open(dir.resolve("nowhere")));
        assertEquals("no pump memory at " + dir.resolve("nowhere").resolve(PumpStore.FILE) + " (is state.dir the pump's?)", e.getMessage());
    }

    @Test
    void aSampleRefusesWhatCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> new Sample(AT, "running", 0, 0, 0, OptionalLong.empty(), 0, OptionalDouble.empty(),
                "none", OptionalLong.empty(), true));
        assertThrows(IllegalArgumentException.class, () -> new Sample(AT, "idle", 5, 6, 0, OptionalLong.empty(), 0, OptionalDouble.empty(),
                "none", OptionalLong.empty(), true), "more to the patient than was pushed");
        assertThrows(IllegalArgumentException.class, () -> new Sample(AT, "idle", 0, 0, 0, OptionalLong.empty(), -1, OptionalDouble.empty(),
                "none", OptionalLong.empty(), true));
    }
}
