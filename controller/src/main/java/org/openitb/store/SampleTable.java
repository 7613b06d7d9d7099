package org.openitb.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The SQL of the {@code sample} table (schema version 4), on a connection its caller owns. */
final class SampleTable {

    private static final String SELECT = "SELECT at, state, delivered_ng, patient_ng, prescribed_ng_per_day, concentration_ng_per_ml,"
            + " reservoir_pl, hours_to_empty, risk_level, risk_percent, clock_set FROM sample";

    private SampleTable() {
    }

    /** Adds {@code samples} in their order and keeps the newest {@code limit} ({@link Sample#ROW_LIMIT} for the pump's). */
    static void insert(Connection c, List<Sample> samples, int limit) throws SQLException {
        if (samples.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sample (at, at_ms, state, delivered_ng, patient_ng, prescribed_ng_per_day,"
                + " concentration_ng_per_ml, reservoir_pl, hours_to_empty, risk_level, risk_percent, clock_set) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Sample x : samples) {
                s.setString(1, x.at().toString());
                s.setLong(2, x.at().toEpochMilli());
                s.setString(3, x.state());
                s.setLong(4, x.deliveredNg());
                s.setLong(5, x.patientNg());
                s.setLong(6, x.prescribedNgPerDay());
                setLong(s, 7, x.concentrationNgPerMl());
                s.setLong(8, x.reservoirPl());
                if (x.hoursToEmpty().isPresent()) {
                    s.setDouble(9, x.hoursToEmpty().getAsDouble());
                } else {
                    s.setNull(9, Types.REAL);
                }
                s.setString(10, x.riskLevel());
                setLong(s, 11, x.riskPercent());
                s.setInt(12, x.clockSet() ? 1 : 0);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sample WHERE seq <= (SELECT MAX(seq) FROM sample) - ?")) {
            s.setInt(1, limit);
            s.executeUpdate();
        }
    }

    /** The samples taken from {@code from} to {@code to} (wall time, both included), in time order, at most {@code limit}. */
    static List<Sample> between(Connection c, Instant from, Instant to, int limit) throws SQLException {
        List<Sample> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE at_ms BETWEEN ? AND ? ORDER BY at_ms, seq LIMIT ?")) {
            s.setLong(1, from.toEpochMilli());
            s.setLong(2, to.toEpochMilli());
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** The newest sample before {@code at} ({@code before}) or the oldest after it, of those whose time is known. */
    static Optional<Sample> nearest(Connection c, Instant at, boolean before) throws SQLException {
        String sql = SELECT + (before ? " WHERE clock_set = 1 AND at_ms < ? ORDER BY at_ms DESC, seq DESC LIMIT 1"
                : " WHERE clock_set = 1 AND at_ms > ? ORDER BY at_ms, seq LIMIT 1");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, at.toEpochMilli());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Sample read(ResultSet rs) throws SQLException {
        return new Sample(Instant.parse(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                optionalLong(rs, 6), rs.getLong(7), optionalDouble(rs, 8), rs.getString(9), optionalLong(rs, 10), rs.getInt(11) != 0);
    }

    private static void setLong(PreparedStatement s, int i, OptionalLong v) throws SQLException {
        if (v.isPresent()) {
            s.setLong(i, v.getAsLong());
        } else {
            s.setNull(i, Types.INTEGER);
        }
    }

    private static OptionalLong optionalLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static OptionalDouble optionalDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
