package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.MariaDbServer;
import dev.basalt.testkit.PostgresServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The databases basalt-db's tests run on: a fresh in-memory H2 for each test, and a real PostgreSQL
 * and a real MariaDB (one server each per test JVM, {@link PostgresServer#shared()} and
 * {@link MariaDbServer#shared()}, whose tables are emptied for each test, so that every test starts
 * from an empty schema as on H2). A test class runs on all three with
 * {@code @ParameterizedClass @EnumSource(TestDatabase.class)}; without PostgreSQL or MariaDB
 * installed their runs skip (fail under CI).
 */
enum TestDatabase {
    H2(null, null, "H2"),
    POSTGRESQL(PostgresServer::shared, PostgresServer::launch, "PostgreSQL"),
    MARIADB(MariaDbServer::shared, MariaDbServer::launch, "MariaDB");

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Supplier<DatabaseServer> server;
    private final Supplier<DatabaseServer> newServer;
    private final String product;

    TestDatabase(Supplier<DatabaseServer> server, Supplier<DatabaseServer> newServer, String product) {
        this.server = server;
        this.newServer = newServer;
        this.product = product;
    }

    /** The migrated database, emptied, with a pool of 16; checked to be the server this names. */
    Database open() {
        return open(16);
    }

    Database open(int maxConnections) {
        Database db = Database.open(target(), maxConnections);
        try {
            db.jdbi().useHandle(h -> {
                assertThat(version(h)).as("the database a %s test runs on", this).contains(product);
                if (server != null) {
                    empty(h);
                }
            });
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** The shared database's target ({@code basalt} on the server); a fresh in-memory one on H2. */
    JdbcTarget target() {
        if (server == null) {
            return JdbcTarget.of("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }
        DatabaseServer s = server.get();
        return JdbcTarget.of(s.jdbcUrl(), s.user(), s.password());
    }

    /** A new database with no schema at all, for tests that migrate step by step. */
    JdbcTarget emptyDatabase() {
        if (server == null) {
            return target();
        }
        DatabaseServer s = server.get();
        String name = "basalt_" + DATABASES.incrementAndGet();
        s.createDatabase(name);
        return JdbcTarget.of(s.jdbcUrl(name), s.user(), s.password());
    }

    /** The shared server (not H2, which is in the JVM). */
    DatabaseServer server() {
        if (server == null) {
            throw new IllegalStateException(this + " has no server");
        }
        return server.get();
    }

    /** A server of the test's own, for tests that stop or kill it (not H2, which is in the JVM); close it. */
    DatabaseServer launchServer() {
        if (newServer == null) {
            throw new IllegalStateException(this + " has no server");
        }
        return newServer.get();
    }

    /** The name the database gives itself in {@code SELECT version()}. */
    String product() {
        return product;
    }

    /** What the database says it is: {@code SELECT version()} on the servers, H2's own version function on H2. */
    String version(Handle h) {
        return h.createQuery(this == H2 ? "SELECT 'H2 ' || H2VERSION()" : "SELECT version()").mapTo(String.class).one();
    }

    /** Deletes every row of every table but Flyway's history. */
    private void empty(Handle h) {
        if (this == POSTGRESQL) {
            List<String> tables = h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename <> 'flyway_schema_history'").mapTo(String.class).list();
            h.execute("TRUNCATE " + String.join(", ", tables));
        } else {
            List<String> tables = h.createQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = DATABASE() AND table_name <> 'flyway_schema_history'")
                    .mapTo(String.class).list();
            h.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : tables) {
                h.execute("DELETE FROM " + table);
            }
            h.execute("SET FOREIGN_KEY_CHECKS = 1");
        }
    }
}
