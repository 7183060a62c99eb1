package dev.basalt.db;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A JDBC URL with its credentials, made from {@code [database] connection}. Takes JDBC URLs as
 * they are and translates the SQLAlchemy URLs operators have in cinder.conf
 * ({@code postgresql+psycopg2://u:p@host/db}, {@code mysql+pymysql://u:p@host:3306/db}).
 */
public record JdbcTarget(String url, String user, String password) {

    public static JdbcTarget parse(String connection) {
        if (connection.startsWith("jdbc:")) {
            return new JdbcTarget(connection, null, null);
        }
        int schemeEnd = connection.indexOf("://");
        if (schemeEnd < 0) {
            throw invalid(connection, "expected a JDBC URL or scheme://user:password@host/database");
        }
        String scheme = connection.substring(0, schemeEnd);
        String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        String jdbcScheme = switch (dialect) {
            case "postgresql", "postgres" -> "postgresql";
            case "mysql", "mariadb" -> "mariadb";
            case "sqlite" -> throw invalid(connection,
                    "SQLite is not supported; leave it unset for the embedded H2 database or use PostgreSQL/MariaDB");
            default -> throw invalid(connection, "unsupported database '" + dialect + "' (use postgresql or mysql)");
        };
        URI uri;
        try {
            uri = URI.create("db" + connection.substring(schemeEnd));
        } catch (IllegalArgumentException e) {
            throw invalid(connection, e.getMessage());
        }
        if (uri.getHost() == null) {
            throw invalid(connection, "no host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new JdbcTarget("jdbc:" + jdbcScheme + "://" + uri.getHost() + port + path, user, password);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** An H2 database inside this process (file or memory), which no other process can open. */
    public boolean isEmbedded() {
        return isH2() && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static BasaltException invalid(String connection, String why) {
        String shown = connection.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
        return new BasaltException(Fault.INTERNAL, "[database] connection = " + shown + ": " + why);
    }
}
