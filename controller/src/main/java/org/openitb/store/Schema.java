package org.openitb.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database schema, versioned by {@code PRAGMA user_version} and built by migrations from the
 * first version on: a database is brought forward one step at a time, each step in a transaction.
 */
final class Schema {

    /** Migration {@code i} takes the schema from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    // What happened, oldest first: program changes, boluses, refills, suspensions, restarts...
                    """
                    CREATE TABLE journal (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        type TEXT NOT NULL,
                        who TEXT NOT NULL,
                        details TEXT NOT NULL
                    )""",
                    // The latest DurableState, as JSON: one row.
                    """
                    CREATE TABLE state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        saved_at TEXT NOT NULL,
                        body TEXT NOT NULL
                    )""",
                    // The write-ahead mark (microsteps that may have been emitted) and the heartbeat: one row.
                    """
                    CREATE TABLE delivery_mark (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        microsteps INTEGER NOT NULL,
                        heartbeat_at TEXT NOT NULL,
                        heartbeat_real TEXT NOT NULL
                    )""",
                    // Alarms and where each stands in its life cycle; those not cleared come back after a restart.
                    """
                    CREATE TABLE alarm (
                        id TEXT PRIMARY KEY,
                        type TEXT NOT NULL,
                        priority TEXT NOT NULL,
                        state TEXT NOT NULL,
                        raised_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        details TEXT NOT NULL
                    )""",
                    // Telemetry waiting for the broker, in order; AUTOINCREMENT never reuses a sequence number.
                    """
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        topic TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        queued_at TEXT NOT NULL
                    )"""),
            List.of(
                    // Version 2: the withdrawal-risk estimate's amounts, one row, so a restart continues it.
                    """
                    CREATE TABLE risk_estimate (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        at TEXT NOT NULL,
                        level_ng REAL NOT NULL,
                        reference_ng REAL NOT NULL
                    )"""),
            List.of(
                    // Version 3: each telemetry topic numbers its messages (the seq receivers check for gaps);
                    // the last number given survives an empty outbox and restarts.
                    "ALTER TABLE outbox ADD COLUMN topic_seq INTEGER NOT NULL DEFAULT 0",
                    """
                    CREATE TABLE telemetry_seq (
                        topic TEXT PRIMARY KEY,
                        last INTEGER NOT NULL
                    )"""),
            List.of(
                    // Version 4: the pump over time, a row every few minutes, for reports (Sample); at_ms orders and ranges them.
                    """
                    CREATE TABLE sample (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        at_ms INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        delivered_ng INTEGER NOT NULL,
                        patient_ng INTEGER NOT NULL,
                        prescribed_ng_per_day INTEGER NOT NULL,
                        concentration_ng_per_ml INTEGER,
                        reservoir_pl INTEGER NOT NULL,
                        hours_to_empty REAL,
                        risk_level TEXT NOT NULL,
                        risk_percent INTEGER,
                        clock_set INTEGER NOT NULL
                    )""",
                    "CREATE INDEX sample_at ON sample (at_ms)"));

    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /** Brings the schema of {@code c} to {@link #VERSION}; refuses a database from a newer version. */
    static void migrate(Connection c) throws SQLException, StoreException {
        int version = version(c);
        if (version > VERSION) {
            throw new StoreException(StoreException.Kind.UNREADABLE,
                    "the database has schema version " + version + ", newer than this OpenITB knows (" + VERSION + ")");
        }
        for (int v = version; v < VERSION; v++) {
            int from = v;
            Tables.transaction(c, () -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : MIGRATIONS.get(from)) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + (from + 1));
                }
            });
        }
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }
}
