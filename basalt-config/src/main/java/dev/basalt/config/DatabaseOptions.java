package dev.basalt.config;

import static java.util.Objects.requireNonNull;

/**
 * The options of {@code [database]}.
 *
 * @param connection as written (a JDBC URL or an SQLAlchemy-style URL such as
 *     {@code mysql+pymysql://user:pass@host/cinder}); translating it is another module's job
 */
public record DatabaseOptions(String connection) {
    public static final OptionGroup GROUP = new OptionGroup("database", "The database, Basalt's one source of truth.");

    public static final Option<String> CONNECTION = GROUP.add(Option.of("connection", OptionType.matching("\\S+", "a database URL"), "jdbc:h2:file:$state_path/basalt", "URL of the database; default: an embedded H2 database under state_path.").asSecret());

    public DatabaseOptions {
        requireNonNull(connection, "connection");
    }

    public static DatabaseOptions from(ConfigSection section) {
        return new DatabaseOptions(section.get(CONNECTION));
    }

    /** Hides the password of a URL such as {@code scheme://user:password@host/db}. */
    @Override
    public String toString() {
        return "DatabaseOptions[connection=" + connection.replaceAll("(//[^/:@]*:)[^/@]*@", "$1****@") + "]";
    }
}
