package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.basalt.common.BasaltException;
import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.FreePorts;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code [database] connection} values that cannot work refuse at once with one line naming the
 * option and why, the password masked; and the SQLAlchemy URL of cinder.conf, query included, works.
 */
@ParameterizedClass
@EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
class OpenRefusalTest {
    /** Much more than refusing may take (Database.CONNECT_TIMEOUT), much less than Hikari's 30 s default. */
    private static final Duration FAST = Duration.ofSeconds(15);

    private final TestDatabase database;
    private DatabaseServer server;
    private String scheme;

    OpenRefusalTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void server() {
        server = database.server();
        scheme = server.sqlalchemyUrl().substring(0, server.sqlalchemyUrl().indexOf("://"));
    }

    /** The one-line refusal of opening {@code connection}, which must come fast. */
    static String refusal(String connection) {
        return refusal(connection, FAST);
    }

    static String refusal(String connection, Duration within) {
        BasaltException e = assertTimeoutPreemptively(within, () -> catchThrowableOfType(BasaltException.class,
                () -> Database.open(JdbcTarget.parse(connection), 2).close()));
        assertThat(e).as("opening %s", connection).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("[database] connection = ");
        return e.getMessage();
    }

    @Test
    void theSqlalchemyUrlOfCinderConfOpensTheServer() {
        try (Database db = Database.open(JdbcTarget.parse(server.sqlalchemyUrl() + "?charset=utf8&plugin=dbcounter"), 2)) {
            db.jdbi().useHandle(h -> assertThat(database.version(h)).contains(database.product()));
        }
    }

    @Test
    void aPortNobodyListensOnIsRefusedAsCannotConnect() {
        String connection = scheme + "://basalt:secret@127.0.0.1:" + FreePorts.next() + "/basalt";
        assertThat(refusal(connection)).isEqualTo("[database] connection = " + connection.replace(":secret@", ":***@")
                + ": cannot connect (Connection refused)");
    }

    @Test
    void anUnknownHostIsRefusedAsCannotConnect() {
        assertThat(refusal(scheme + "://basalt:secret@no-such-host.invalid/basalt"))
                .isEqualTo("[database] connection = " + scheme + "://basalt:***@no-such-host.invalid/basalt"
                        + ": cannot connect (unknown host no-such-host.invalid)");
    }

    @Test
    void aWrongPasswordIsRefusedAsAuthenticationFailed() {
        String connection = scheme + "://basalt:wrong-" + server.password() + "@127.0.0.1:" + server.port() + "/basalt";
        String message = refusal(connection);
        assertThat(message).isEqualTo("[database] connection = " + scheme + "://basalt:***@127.0.0.1:" + server.port()
                + "/basalt: authentication failed for user \"basalt\"");
    }

    @Test
    void anUnknownDatabaseIsRefusedByName() {
        String connection = scheme + "://basalt:" + server.password() + "@127.0.0.1:" + server.port() + "/nowhere";
        assertThat(refusal(connection)).doesNotContain(server.password()).endsWith(database == TestDatabase.POSTGRESQL
                ? ": database \"nowhere\" does not exist"
                // MariaDB says no more to a user without rights on it, whether it exists or not.
                : ": no access to database \"nowhere\" for user \"basalt\" (it does not exist, or the user has no"
                        + " rights on it)");
    }

    @Test
    void anUnknownSchemeIsRefusedBeforeConnecting() {
        String connection = "oracle://basalt:secret@127.0.0.1:" + server.port() + "/basalt";
        assertThat(refusal(connection)).isEqualTo("[database] connection = oracle://basalt:***@127.0.0.1:"
                + server.port() + "/basalt: unsupported database 'oracle' (use postgresql or mysql)");
    }
}
