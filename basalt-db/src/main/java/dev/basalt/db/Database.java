package dev.basalt.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool and JDBI handle for Basalt's one database, migrated to the current
 * schema by Flyway when opened.
 *
 * <p>A database that cannot be used when opened (unreachable, wrong password, unknown database, a
 * migration failing) refuses with one line naming {@code [database] connection} and why, within
 * {@link #CONNECT_TIMEOUT}. Once open, the pool outlives database restarts: a connection the server
 * dropped fails the statement that was using it and leaves the pool, idle ones are checked before
 * use; while the server is away a statement fails after {@link #POOL_WAIT} saying why there is no
 * connection, and once it is back the next statement works.
 */
public final class Database implements AutoCloseable {
    /** How long opening a connection may take before failing (the first one, when opening, too). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a statement waits for a connection from the pool. Longer than the 5 s the pool waits at
     * most between attempts to connect while the server is away, so that a statement made just after
     * the server is back gets a connection instead of failing.
     */
    static final Duration POOL_WAIT = Duration.ofSeconds(10);
    /** How long checking that a borrowed connection still works may take. */
    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);
    /** A server that stops answering mid-statement fails the statement after this, instead of hanging it. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource, JdbcTarget target) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(() -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                // Says why (the server refused, a wrong password) instead of only that the pool timed out.
                throw new SQLTransientConnectionException("no database connection: "
                        + ConnectionFailure.reason(target, e), e.getSQLState(), e);
            }
        });
    }

    /** Opens the pool and brings the schema up to date; a {@code BasaltException} naming the option if it cannot. */
    public static Database open(JdbcTarget target, int maxConnections) {
        HikariDataSource dataSource;
        try {
            // Connects once now (initializationFailTimeout's default), so a bad target fails here.
            dataSource = new HikariDataSource(poolConfig(target, maxConnections));
        } catch (RuntimeException e) {
            throw ConnectionFailure.explain(target, e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw ConnectionFailure.explain(target, e);
        }
        return new Database(dataSource, target);
    }

    private static HikariConfig poolConfig(JdbcTarget target, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.isH2() ? H2Settings.withDefaults(target.url()) : target.url());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(maxConnections);
        config.setConnectionTimeout(POOL_WAIT.toMillis());
        config.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        if (target.url().startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
            config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        } else if (target.url().startsWith("jdbc:mariadb:")) {
            config.addDataSourceProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
            config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toMillis()));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        // H2 and PostgreSQL default to it; MariaDB would use REPEATABLE READ, whose gap locks turn
        // concurrent inserts into deadlocks. Conditional updates read the latest row either way.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setPoolName("basalt-db");
        return config;
    }

    /** Migrates the schema only (the {@code basalt manage db sync} command). */
    public static void migrate(JdbcTarget target) {
        // Flyway holds one connection for its lock on PostgreSQL and MariaDB and migrates on another.
        open(target, 2).close();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
