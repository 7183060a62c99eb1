package dev.basalt.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Tells a database that is out of reach, which passes, from a failure that would happen again. */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    /**
     * True when {@code failure} (or a cause of it) is the database being out of reach: no connection
     * from the pool, or the connection lost mid-statement (SQLSTATE class 08, or 57P0x when the
     * server shuts down or restarts).
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }
}
