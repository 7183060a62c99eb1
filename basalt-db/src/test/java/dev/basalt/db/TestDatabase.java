package dev.basalt.db;

import dev.basalt.common.Ids;

/**
 * The database a test runs on: a fresh in-memory H2 by default, or the server named by the
 * system property {@code basalt.test.jdbc} (a JDBC URL with credentials in it, e.g.
 * {@code jdbc:postgresql://127.0.0.1/basalt?user=basalt&password=…}) to prove the SQL on
 * PostgreSQL or MariaDB. Tests that use it name their projects and types uniquely, so they can
 * share one server database.
 */
final class TestDatabase {
    private TestDatabase() {
    }

    static Database open() {
        String url = System.getProperty("basalt.test.jdbc");
        if (url == null || url.isBlank()) {
            url = "jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1";
        }
        return Database.open(JdbcTarget.parse(url), 16);
    }
}
