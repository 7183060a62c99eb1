package dev.basalt.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures mean the database is out of reach (503), not a bug (500). */
class DatabaseUnreachableTest {
    @Test
    void connectionFailuresAndServerShutdownsAnywhereInTheChain() {
        assertThat(ApiDispatcher.databaseUnreachable(new RuntimeException(
                new java.sql.SQLTransientConnectionException("no database connection")))).isTrue();
        assertThat(ApiDispatcher.databaseUnreachable(new IllegalStateException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(ApiDispatcher.databaseUnreachable(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(ApiDispatcher.databaseUnreachable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ApiDispatcher.databaseUnreachable(new IllegalStateException("bug"))).isFalse();
    }
}
