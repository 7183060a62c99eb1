package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.testkit.DatabaseServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A database whose schema Basalt may not create refuses in one line with the server's reason. On
 * PostgreSQL only: Flyway keeps trying to create its history table for about ten seconds before it
 * gives up, on every database, and the message is made the same way for all.
 */
class MigrationRefusalTest {

    @Test
    void aSchemaTheUserMayNotCreateIsRefusedWithTheServersReason() {
        DatabaseServer server = TestDatabase.POSTGRESQL.server();
        server.createDatabase("not_basalts");
        // Owned by postgres, its schema public takes no new tables from basalt (PostgreSQL 15+).
        server.runAsAdministrator("ALTER DATABASE not_basalts OWNER TO postgres");
        String connection = "postgresql://basalt:" + server.password() + "@127.0.0.1:" + server.port()
                + "/not_basalts";
        assertThat(OpenRefusalTest.refusal(connection, Duration.ofSeconds(60))).isEqualTo("[database] connection ="
                + " postgresql://basalt:***@127.0.0.1:" + server.port() + "/not_basalts: cannot migrate the schema"
                + " (ERROR: permission denied for schema public)");
    }
}
