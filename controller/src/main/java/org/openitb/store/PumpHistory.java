package org.openitb.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openitb.journal.JournalEntry;

/**
 * A pump's memory read for a report, read-only, whether its daemon runs or not: the samples and
 * the journal over a time range. Each read is bounded by what the store keeps at most.
 */
public final class PumpHistory implements AutoCloseable {

    private final Path file;
    private final Connection connection;
    private final int version;

    private PumpHistory(Path file, Connection connection, int version) {
        this.file = file;
        this.connection = connection;
        this.version = version;
    }

    /** Opens the database {@code stateDir} holds for reading; refuses a directory without one, or one from a newer OpenITB. */
    public static PumpHistory open(Path stateDir) throws StoreException {
        Path file = stateDir.resolve(PumpStore.FILE);
        if (!Files.isRegularFile(file)) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "no pump memory at " + file + " (is state.dir the pump's?)");
        }
        Connection c = null;
        // A database whose daemon closed it has no write-ahead log: read as immutable, nothing is made beside it (a
        // read-only copy works). With a log (the daemon runs, or was killed), SQLite needs its -shm file beside it.
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        boolean logged = Files.exists(wal);
        try {
            c = logged ? PumpStore.readOnly(file) : DriverManager.getConnection("jdbc:sqlite:file:" + file + "?immutable=1");
            int version = Schema.version(c);
            if (version > Schema.VERSION) {
                throw new StoreException(StoreException.Kind.UNREADABLE,
                        file + " has schema version " + version + ", newer than this OpenITB knows (" + Schema.VERSION + ")");
            }
            return new PumpHistory(file, c, version);
        } catch (SQLException e) {
            Optional.ofNullable(c).ifPresent(PumpStore::close);
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot read " + file + ": " + e.getMessage() + (logged
                    ? " (its write-ahead log " + wal.getFileName() + " needs a -shm file made beside it: copy the state directory somewhere writable)"
                    : ""), e);
        } catch (StoreException e) {
            Optional.ofNullable(c).ifPresent(PumpStore::close);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Whether the database has samples at all: one from before version 4 has only its journal. */
    public boolean keepsSamples() {
        return version >= 4;
    }

    /** The samples from {@code from} to {@code to} (both included), in time order. */
    public List<Sample> samples(Instant from, Instant to) throws StoreException {
        if (!keepsSamples()) {
            return List.of();
        }
        try {
            return SampleTable.between(connection, from, to, Sample.ROW_LIMIT);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException(StoreException.Kind.UNREADABLE, "cannot read the samples of " + file + ": " + e.getMessage(), e);
        }
    }

    /** The newest sample before {@code at} whose time is known: where a range's totals start from. */
    public Optional<Sample> before(Instant at) throws StoreException {
        return nearest(at, true);
    }

    /** The oldest sample after {@code at} whose time is known: where a range's totals end at. */
    public Optional<Sample> after(Instant at) throws StoreException {
        return nearest(at, false);
    }

    private Optional<Sample> nearest(Instant at, boolean before) throws StoreException {
        if (!keepsSamples()) {
            return Optional.empty();
        }
        try {
            return SampleTable.nearest(connection, at, before);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException(StoreException.Kind.UNREADABLE, "cannot read the samples of " + file + ": " + e.getMessage(), e);
        }
    }

    /** The time of the newest sample, or of the newest journal entry in a database without samples. */
    public Optional<Instant> newest() throws StoreException {
        String sql = keepsSamples() ? "SELECT MAX(at_ms) FROM sample" : "SELECT at FROM journal ORDER BY seq DESC LIMIT 1";
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            if (!rs.next() || rs.getObject(1) == null) {
                return Optional.empty();
            }
            return Optional.of(keepsSamples() ? Instant.ofEpochMilli(rs.getLong(1)) : Instant.parse(rs.getString(1)));
        } catch (SQLException | RuntimeException e) {
            throw new StoreException(StoreException.Kind.UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal entries from {@code from} to {@code to} (both included), oldest first. Entries
     * are in the order they were written; a wall clock that was set back while the pump ran can put
     * an entry's time before an earlier one's, and the range is judged on each entry's own time.
     */
    public List<JournalEntry> journal(Instant from, Instant to) throws StoreException {
        List<JournalEntry> out = new ArrayList<>();
        // at is Instant.toString: its text sorts by time to the second (not below: ".5Z" sorts before "Z"), so
        // SQLite picks the range's seconds and the instants are compared here.
        String sql = "SELECT seq, at, type, who, details FROM journal WHERE substr(at, 1, 19) BETWEEN ? AND ? ORDER BY seq LIMIT ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, toTheSecond(from));
            s.setString(2, toTheSecond(to));
            s.setInt(3, PumpStore.JOURNAL_ROW_LIMIT);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant at = Instant.parse(rs.getString(2));
                    if (!at.isBefore(from) && !at.isAfter(to)) {
                        JsonObject details = JsonParser.parseString(rs.getString(5)).getAsJsonObject();
                        out.add(new JournalEntry(rs.getLong(1), at, rs.getString(3), rs.getString(4), details));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw new StoreException(StoreException.Kind.UNREADABLE, "cannot read the journal of " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String toTheSecond(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString().substring(0, 19);
    }

    @Override
    public void close() {
        PumpStore.close(connection);
    }
}
