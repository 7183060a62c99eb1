package dev.basalt.db;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The SQLAlchemy URLs of cinder.conf ({@code dialect[+driver]://user:password@host[:port]/database[?query]})
 * as JDBC targets: PostgreSQL to {@code jdbc:postgresql:}, MySQL and MariaDB to {@code jdbc:mariadb:}.
 * Query parameters that only concern Python drivers are dropped ({@code charset}, {@code use_unicode},
 * {@code client_encoding}: the JDBC drivers always speak Unicode; {@code plugin}: an SQLAlchemy
 * plug-in); those with a JDBC equivalent are mapped ({@code connect_timeout}, and {@code sslmode},
 * {@code sslrootcert}, {@code application_name} for PostgreSQL); any other is refused by name rather
 * than silently ignored, since it may be a security setting.
 */
final class SqlAlchemyUrl {
    private static final Set<String> DROPPED = Set.of("charset", "use_unicode", "client_encoding", "plugin");

    private SqlAlchemyUrl() {
    }

    static JdbcTarget toJdbc(String connection) {
        int schemeEnd = connection.indexOf("://");
        if (schemeEnd < 0) {
            throw JdbcTarget.invalid(connection, "expected a JDBC URL or scheme://user:password@host/database");
        }
        String scheme = connection.substring(0, schemeEnd);
        String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        boolean postgres = switch (dialect) {
            case "postgresql", "postgres" -> true;
            case "mysql", "mariadb" -> false;
            case "sqlite" -> throw JdbcTarget.invalid(connection,
                    "SQLite is not supported; leave it unset for the embedded H2 database or use PostgreSQL/MariaDB");
            default -> throw JdbcTarget.invalid(connection,
                    "unsupported database '" + dialect + "' (use postgresql or mysql)");
        };
        URI uri;
        try {
            uri = URI.create("db" + connection.substring(schemeEnd));
        } catch (IllegalArgumentException e) {
            throw JdbcTarget.invalid(connection, e.getMessage());
        }
        if (uri.getHost() == null) {
            throw JdbcTarget.invalid(connection, "no host");
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
        String query = jdbcParameters(connection, uri.getRawQuery(), postgres);
        String url = "jdbc:" + (postgres ? "postgresql" : "mariadb") + "://" + uri.getHost() + port + path + query;
        return new JdbcTarget(url, user, password, JdbcTarget.mask(connection));
    }

    /** The query string of the JDBC URL ({@code ?a=b&…}, or empty) for the SQLAlchemy URL's {@code rawQuery}. */
    private static String jdbcParameters(String connection, String rawQuery, boolean postgres) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        Map<String, String> jdbc = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            String value = kv.length > 1 ? decode(kv[1]) : "";
            if (DROPPED.contains(name)) {
                continue;
            }
            switch (name) {
                case "connect_timeout" -> jdbc.put("connectTimeout",
                        postgres ? seconds(connection, value) : seconds(connection, value) + "000");
                case "sslmode", "sslrootcert" -> {
                    if (!postgres) {
                        throw unsupported(connection, name);
                    }
                    jdbc.put(name, value);
                }
                case "application_name" -> {
                    if (!postgres) {
                        throw unsupported(connection, name);
                    }
                    jdbc.put("ApplicationName", value);
                }
                default -> throw unsupported(connection, name);
            }
        }
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        jdbc.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static String seconds(String connection, String value) {
        if (!value.matches("\\d{1,6}")) {
            throw JdbcTarget.invalid(connection, "connect_timeout must be whole seconds, not '" + value + "'");
        }
        return value;
    }

    private static RuntimeException unsupported(String connection, String parameter) {
        return JdbcTarget.invalid(connection, "unsupported parameter '" + parameter + "' (Basalt understands "
                + "charset, use_unicode, client_encoding and plugin, which it ignores, connect_timeout, and for "
                + "PostgreSQL sslmode, sslrootcert and application_name)");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
