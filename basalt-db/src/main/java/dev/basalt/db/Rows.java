package dev.basalt.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Small helpers for reading and binding columns the same way on every database. Timestamps are
 * stored without a zone, as the JVM's zone's wall-clock time (what {@code java.sql.Timestamp}
 * did), and travel as {@link LocalDateTime}: the drivers read and write those without the
 * calendar arithmetic of {@code Timestamp}, a measurable part of listing many rows.
 */
final class Rows {
    private Rows() {
    }

    /** {@code text} matched literally by LIKE: the backslash (every database's default escape), % and _ escaped. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs.getObject(column, LocalDateTime.class));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return instant(rs.getObject(column, LocalDateTime.class));
    }

    private static Instant instant(LocalDateTime stored) {
        return stored == null ? null : stored.atZone(ZoneId.systemDefault()).toInstant();
    }

    /** The value to bind for {@code instant} in a timestamp column. */
    static LocalDateTime timestamp(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneId.systemDefault());
    }

    /** {@code text} cut to at most {@code max} characters (null stays null). */
    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** Now, truncated to microseconds: what every supported database stores losslessly. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
