package org.openitb.store;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openitb.alarm.AlarmRecord;
import org.openitb.alarm.RiskRecord;
import org.openitb.delivery.DurableState;
import org.openitb.journal.JournalEntry;
import org.openitb.journal.TherapyEvent;

/** The SQL of each table (see {@link Schema}), on a connection its caller owns: the writer's, or a reader's own. */
final class Tables {

    private static final Gson GSON = new Gson();
    private static final java.lang.reflect.Type DETAILS = new TypeToken<Map<String, Object>>() { }.getType();

    /** Work done inside one transaction. */
    interface Work {
        void run() throws SQLException;
    }

    private Tables() {
    }

    /**
     * Runs {@code work} in one transaction with explicit statements, not JDBC's auto-commit switch:
     * after a failed COMMIT SQLite may already have rolled back, and switching auto-commit back
     * would then fail with "no transaction is active" and hide the real error.
     */
    static void transaction(Connection c, Work work) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
        try {
            work.run();
            execute(c, "COMMIT");
        } catch (SQLException | RuntimeException e) {
            try {
                execute(c, "ROLLBACK");
            } catch (SQLException alreadyRolledBack) {
                e.addSuppressed(alreadyRolledBack);
            }
            throw e;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void insertJournal(Connection c, TherapyEvent e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO journal (at, type, who, details) VALUES (?, ?, ?, ?)")) {
            s.setString(1, e.at().toString());
            s.setString(2, e.type());
            s.setString(3, e.who());
            s.setString(4, GSON.toJson(e.details()));
            s.executeUpdate();
        }
    }

    /** Keeps the newest {@code limit} journal rows. */
    static void trimJournal(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?")) {
            s.setInt(1, limit);
            s.executeUpdate();
        }
    }

    static List<JournalEntry> journal(Connection c, int limit) throws SQLException {
        List<JournalEntry> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, at, type, who, details FROM (SELECT * FROM journal ORDER BY seq DESC LIMIT ?) ORDER BY seq")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEntry(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
                            GSON.fromJson(rs.getString(5), JsonObject.class)));
                }
            }
        }
        return out;
    }

    static void saveState(Connection c, Instant at, DurableState state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO state (id, saved_at, body) VALUES (1, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body")) {
            s.setString(1, at.toString());
            s.setString(2, StateCodec.write(state));
            s.executeUpdate();
        }
    }

    static Optional<DurableState> state(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM state WHERE id = 1")) {
            return rs.next() ? Optional.of(StateCodec.read(rs.getString(1))) : Optional.empty();
        }
    }

    static void saveRisk(Connection c, RiskRecord risk) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO risk_estimate (id, at, level_ng, reference_ng) VALUES (1, ?, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET at = excluded.at, level_ng = excluded.level_ng, reference_ng = excluded.reference_ng")) {
            s.setString(1, risk.at().toString());
            s.setDouble(2, risk.levelNg());
            s.setDouble(3, risk.referenceNg());
            s.executeUpdate();
        }
    }

    static Optional<RiskRecord> risk(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT at, level_ng, reference_ng FROM risk_estimate WHERE id = 1")) {
            return rs.next() ? Optional.of(new RiskRecord(Instant.parse(rs.getString(1)), rs.getDouble(2), rs.getDouble(3))) : Optional.empty();
        }
    }

    static void saveMark(Connection c, DeliveryMark mark) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO delivery_mark (id, microsteps, heartbeat_at, heartbeat_real) VALUES (1, ?, ?, ?)"
                        + " ON CONFLICT(id) DO UPDATE SET microsteps = excluded.microsteps, heartbeat_at = excluded.heartbeat_at,"
                        + " heartbeat_real = excluded.heartbeat_real")) {
            s.setLong(1, mark.microsteps());
            s.setString(2, mark.heartbeat().toString());
            s.setString(3, mark.heartbeatReal().toString());
            s.executeUpdate();
        }
    }

    static Optional<DeliveryMark> mark(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT microsteps, heartbeat_at, heartbeat_real FROM delivery_mark WHERE id = 1")) {
            return rs.next() ? Optional.of(new DeliveryMark(rs.getLong(1), Instant.parse(rs.getString(2)), Instant.parse(rs.getString(3))))
                    : Optional.empty();
        }
    }

    static void saveAlarm(Connection c, AlarmRecord a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO alarm (id, type, priority, state, raised_at, changed_at, details) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT(id) DO UPDATE SET type = excluded.type, priority = excluded.priority, state = excluded.state,"
                        + " changed_at = excluded.changed_at, details = excluded.details")) {
            s.setString(1, a.id());
            s.setString(2, a.type());
            s.setString(3, a.priority());
            s.setString(4, a.state());
            s.setString(5, a.raisedAt().toString());
            s.setString(6, a.changedAt().toString());
            s.setString(7, GSON.toJson(a.details()));
            s.executeUpdate();
        }
    }

    /** Keeps the {@code limit} most recently raised cleared alarms; alarms not cleared are always kept. */
    static void trimAlarms(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM alarm WHERE state = 'cleared' AND rowid NOT IN"
                + " (SELECT rowid FROM alarm WHERE state = 'cleared' ORDER BY rowid DESC LIMIT ?)")) {
            s.setInt(1, limit);
            s.executeUpdate();
        }
    }

    /** Alarms not yet cleared, in the order they were raised. */
    static List<AlarmRecord> activeAlarms(Connection c) throws SQLException {
        List<AlarmRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, type, priority, state, raised_at, changed_at, details FROM alarm WHERE state <> 'cleared' ORDER BY rowid")) {
            while (rs.next()) {
                out.add(new AlarmRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Instant.parse(rs.getString(5)), Instant.parse(rs.getString(6)), GSON.fromJson(rs.getString(7), DETAILS)));
            }
        }
        return out;
    }

    static void insertOutbox(Connection c, OutboxMessage m) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (topic, topic_seq, payload, queued_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, m.topic());
            s.setLong(2, m.topicSeq());
            s.setString(3, m.payload());
            s.setString(4, m.queuedAt().toString());
            s.executeUpdate();
        }
    }

    /** Remembers that {@code topic} has numbered messages up to {@code last}; never goes back. */
    static void saveTopicSeq(Connection c, String topic, long last) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO telemetry_seq (topic, last) VALUES (?, ?)"
                + " ON CONFLICT(topic) DO UPDATE SET last = max(last, excluded.last)")) {
            s.setString(1, topic);
            s.setLong(2, last);
            s.executeUpdate();
        }
    }

    /** The last number each topic gave, from its counter or from the outbox, whichever is further. */
    static Map<String, Long> topicSeqs(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT topic, max(last) FROM"
                + " (SELECT topic, last FROM telemetry_seq UNION ALL SELECT topic, topic_seq AS last FROM outbox) GROUP BY topic")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    static void deleteOutboxThrough(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
    }

    /** Keeps the newest {@code limit} outbox messages; returns how many older ones were dropped. */
    static int trimOutbox(Connection c, int limit) throws SQLException {
        // The outbox only ever loses its oldest rows (sent, or trimmed here) and AUTOINCREMENT never
        // reuses a number, so its rows are a run of consecutive seqs: cut by number, not by a scan that
        // would read a broker outage's whole backlog on every write.
        try (PreparedStatement s = c.prepareStatement("DELETE FROM outbox WHERE seq <= (SELECT MAX(seq) FROM outbox) - ?")) {
            s.setInt(1, limit);
            return s.executeUpdate();
        }
    }

    /** The oldest {@code limit} messages waiting after outbox place {@code after}, in the order to send them. */
    static List<OutboxMessage> outbox(Connection c, long after, int limit) throws SQLException {
        List<OutboxMessage> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, topic, topic_seq, payload, queued_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, after);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxMessage(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), Instant.parse(rs.getString(5))));
                }
            }
        }
        return out;
    }
}
