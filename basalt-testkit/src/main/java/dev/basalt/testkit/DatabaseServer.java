package dev.basalt.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@link PostgresServer} and {@link MariaDbServer} share: a throwaway database server in its
 * own temporary directory, listening on 127.0.0.1 on a free port, with a database {@value #DATABASE}
 * that user {@value #USER} reaches with a password. It can be stopped and started again (same port,
 * same data, for reconnect tests) or killed; {@link #close} stops it and removes its directory. A
 * server still running when the JVM exits is killed and its directory removed then.
 */
public abstract sealed class DatabaseServer implements AutoCloseable permits PostgresServer, MariaDbServer {
    public static final String DATABASE = "basalt";
    public static final String USER = "basalt";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final int port;
    private final String password;
    private final ServerProcess process;
    private final Thread exitHook;

    DatabaseServer(Path directory, int port, ServerProcess process) {
        this.directory = requireNonNull(directory, "directory");
        this.port = port;
        byte[] secret = new byte[8];
        RANDOM.nextBytes(secret);
        this.password = "pw" + HexFormat.of().formatHex(secret);
        this.process = requireNonNull(process, "process");
        this.exitHook = new Thread(this::killAndRemove, "stop " + getClass().getSimpleName() + " on exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /** {@code jdbc:…://127.0.0.1:port/basalt}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of another database of this server (made by {@link #createDatabase}). */
    public abstract String jdbcUrl(String database);

    /** The same database as cinder.conf names it: {@code scheme://basalt:password@127.0.0.1:port/basalt}. */
    public abstract String sqlalchemyUrl();

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Where the server keeps its data, socket and log. */
    public Path directory() {
        return directory;
    }

    /** Makes another empty database that {@value #USER} owns ({@code name}: lower-case letters, digits, _). */
    public void createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name for tests: " + name);
        }
        runAsAdministrator(createDatabaseStatements(name));
    }

    /** Runs SQL as the server's administrator (through its unix socket), e.g. to take rights away from {@value #USER}. */
    public void runAsAdministrator(String... statements) {
        runAsAdministrator(List.of(statements));
    }

    /** Starts the server again after {@link #stop} or {@link #kill}: same port, same data. */
    public void start() {
        process.start(this::answers);
    }

    /** Shuts the server down cleanly (its clients are disconnected) and waits until it has exited. */
    public void stop() {
        process.stop();
    }

    /** SIGKILL to the server and its processes, as if its machine had crashed. */
    public void kill() {
        process.kill();
    }

    public boolean running() {
        return process.alive();
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() {
        process.stop();
        Directories.deleteRecursively(directory);
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting: the hook runs anyway and finds nothing left to do.
        }
    }

    /** Starts the server the first time and makes {@value #DATABASE} and {@value #USER}; closes it if that fails. */
    final void startFirstTime() {
        try {
            start();
            runAsAdministrator(setupStatements());
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** True once the server accepts connections. */
    abstract boolean answers();

    abstract void runAsAdministrator(List<String> statements);

    /** Makes user {@value #USER} with {@link #password()} and database {@value #DATABASE} it owns. */
    abstract List<String> setupStatements();

    abstract List<String> createDatabaseStatements(String name);

    String logTail() {
        return process.logTail();
    }

    private void killAndRemove() {
        process.kill();
        Directories.deleteRecursively(directory);
    }
}
