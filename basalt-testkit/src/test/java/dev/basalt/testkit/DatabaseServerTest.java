package dev.basalt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each server lets user basalt in with its password over TCP, keeps its data across stop and kill,
 * and leaves nothing behind.
 */
class DatabaseServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void startsStopsKillsAndCleansUp(String kind) {
        DatabaseServer server = kind.equals("postgresql") ? PostgresServer.launch() : MariaDbServer.launch();
        try (server) {
            assertThat(server.sqlalchemyUrl()).startsWith(kind.equals("postgresql") ? "postgresql://" : "mysql+pymysql://")
                    .contains("basalt:" + server.password() + "@127.0.0.1:" + server.port() + "/basalt");
            sql(server, "basalt", "CREATE TABLE kept (v INTEGER)");
            sql(server, "basalt", "INSERT INTO kept VALUES (42)");

            server.stop();
            assertThat(server.running()).isFalse();
            assertThat(listening(server.port())).isFalse();
            server.start();
            assertThat(sql(server, "basalt", "SELECT v FROM kept")).contains("42");

            server.kill();
            assertThat(server.running()).isFalse();
            server.start();
            assertThat(sql(server, "basalt", "SELECT v FROM kept")).contains("42");

            server.createDatabase("other");
            sql(server, "other", "CREATE TABLE mine (v INTEGER)");
        }
        assertThat(server.running()).isFalse();
        assertThat(Files.exists(server.directory())).isFalse();
    }

    /** Runs {@code statement} as user basalt over TCP with its password, as an application would connect. */
    private static String sql(DatabaseServer server, String database, String statement) {
        List<String> command = server instanceof PostgresServer
                ? List.of(PostgresServer.binaries().resolve("psql").toString(), "-X", "-At", "-v",
                        "ON_ERROR_STOP=1", "postgresql://basalt:" + server.password() + "@127.0.0.1:" + server.port()
                                + "/" + database, "-c", statement)
                : List.of("mariadb", "--no-defaults", "-h127.0.0.1", "-P" + server.port(), "-ubasalt",
                        "-p" + server.password(), "-N", database, "-e", statement);
        return Commands.run(command, Duration.ofSeconds(30));
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
