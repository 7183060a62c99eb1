package dev.basalt.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool and JDBI handle for Basalt's one database, migrated to the current
 * schema by Flyway when opened.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(JdbcTarget target, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.isH2() ? H2Settings.withDefaults(target.url()) : target.url());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(maxConnections);
        // H2 and PostgreSQL default to it; MariaDB would use REPEATABLE READ, whose gap locks turn
        // concurrent inserts into deadlocks. Conditional updates read the latest row either way.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setPoolName("basalt-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
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
