package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;

/**
 * Why {@link Database#open} could not use its database, as one line an operator can act on:
 * {@code [database] connection = postgresql://basalt:***@db:5432/basalt: authentication failed for
 * user "basalt"}. The password is never shown, neither from the URL nor from a driver's message.
 */
final class ConnectionFailure {
    private ConnectionFailure() {
    }

    static BasaltException explain(JdbcTarget target, Throwable failure) {
        return target.refused(reason(target, failure), failure);
    }

    /** Why {@code failure} happened, without naming the target: {@code cannot connect (Connection refused)}. */
    static String reason(JdbcTarget target, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "cannot connect (unknown host " + firstLine(t.getMessage()) + ")";
            }
            if (t instanceof ConnectException) {
                return "cannot connect (" + firstLine(t.getMessage()) + ")";
            }
            if (t instanceof SocketTimeoutException) {
                return "cannot connect (no answer within " + Database.CONNECT_TIMEOUT.toSeconds() + " s)";
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 28P01, 28000: PostgreSQL's and MariaDB's (error 1045) invalid authorization.
                if (state.startsWith("28") || sql.getErrorCode() == 1045) {
                    return "authentication failed" + forUser(target);
                }
                // 3D000: PostgreSQL's invalid catalog name; 1049: MariaDB's unknown database.
                if (state.equals("3D000") || sql.getErrorCode() == 1049) {
                    return "database \"" + database(target) + "\" does not exist";
                }
                // 1044: MariaDB's access denied to a database, which it also says of one that does not exist.
                if (sql.getErrorCode() == 1044) {
                    return "no access to database \"" + database(target) + "\"" + forUser(target)
                            + " (it does not exist, or the user has no rights on it)";
                }
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (failure instanceof FlywayException) {
            // The server's own words when a statement failed (permission denied, …), else Flyway's first line.
            return "cannot migrate the schema (" + firstLine(root instanceof SQLException ? root.getMessage()
                    : failure.getMessage()) + ")";
        }
        if (root instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return "cannot connect (" + firstLine(sql.getMessage()) + ")";
        }
        return "cannot use the database (" + firstLine(root.getMessage()) + ")";
    }

    private static String forUser(JdbcTarget target) {
        return target.user() == null ? "" : " for user \"" + target.user() + "\"";
    }

    /** The database the URL names: the path's last segment, without parameters. */
    private static String database(JdbcTarget target) {
        String url = target.url();
        int query = indexOfAny(url, "?;");
        String path = query < 0 ? url : url.substring(0, query);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.isEmpty() ? "no detail" : line;
    }
}
