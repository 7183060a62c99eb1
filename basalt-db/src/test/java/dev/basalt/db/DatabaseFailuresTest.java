package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures mean the database is out of reach (503), not a bug (500). */
class DatabaseFailuresTest {
    @Test
    void connectionFailuresAndServerShutdownsAnywhereInTheChain() {
        assertThat(DatabaseFailures.unreachable(new RuntimeException(
                new java.sql.SQLTransientConnectionException("no database connection")))).isTrue();
        assertThat(DatabaseFailures.unreachable(new IllegalStateException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseFailures.unreachable(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(DatabaseFailures.unreachable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseFailures.unreachable(new IllegalStateException("bug"))).isFalse();
    }
}
