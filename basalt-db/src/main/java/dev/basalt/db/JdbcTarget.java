package dev.basalt.db;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.List;

/**
 * A JDBC URL with its credentials, made from {@code [database] connection}. Takes JDBC URLs of the
 * databases Basalt has drivers for as they are, and translates the SQLAlchemy URLs operators have in
 * cinder.conf ({@code postgresql+psycopg2://u:p@host/db}, {@code mysql+pymysql://u:p@host:3306/db}, see
 * {@link SqlAlchemyUrl}).
 *
 * @param shown the configured value with its password masked, for messages and logs
 */
public record JdbcTarget(String url, String user, String password, String shown) {
    private static final List<String> JDBC_PREFIXES = List.of("jdbc:h2:", "jdbc:postgresql:", "jdbc:mariadb:");

    /** A JDBC URL and credentials given apart (tests, tools). */
    public static JdbcTarget of(String url, String user, String password) {
        return new JdbcTarget(url, user, password, mask(url));
    }

    public static JdbcTarget parse(String connection) {
        if (connection.startsWith("jdbc:")) {
            if (JDBC_PREFIXES.stream().noneMatch(connection::startsWith)) {
                throw invalid(connection, "unsupported JDBC URL (use jdbc:h2:, jdbc:postgresql: or jdbc:mariadb:,"
                        + " or an SQLAlchemy URL such as postgresql://… or mysql+pymysql://…)");
            }
            return of(connection, null, null);
        }
        return SqlAlchemyUrl.toJdbc(connection);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** An H2 database inside this process (file or memory), which no other process can open. */
    public boolean isEmbedded() {
        return isH2() && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /** The message that refuses this target: {@code [database] connection = <shown>: <why>}. */
    BasaltException refused(String why) {
        return refused(why, null);
    }

    BasaltException refused(String why, Throwable cause) {
        String reason = password == null || password.isEmpty() ? why : why.replace(password, "***");
        return new BasaltException(Fault.SERVICE_UNAVAILABLE, "[database] connection = " + shown + ": " + reason, cause);
    }

    /** Never the password. */
    @Override
    public String toString() {
        return shown;
    }

    static BasaltException invalid(String connection, String why) {
        return new BasaltException(Fault.INTERNAL, "[database] connection = " + mask(connection) + ": " + why);
    }

    /** {@code connection} with the password of {@code //user:password@} or a {@code password=} parameter masked. */
    static String mask(String connection) {
        return connection.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@")
                .replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }
}
