package dev.basalt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL server (Debian's {@code postgresql}) for tests: {@code initdb} into a fresh
 * temporary directory, {@code postgres} on 127.0.0.1 and a free port with its unix socket in that
 * directory, user {@code basalt} (password, SCRAM) owning database {@code basalt}. Durability is
 * traded for speed (no fsync): a killed server keeps what it committed, a crashed machine would not. Runs as
 * the {@code postgres} user when the tests run as root, since PostgreSQL refuses to run as root.
 * Starts in about two seconds.
 */
public final class PostgresServer extends DatabaseServer {
    private static PostgresServer shared;

    private final Path bin;

    private PostgresServer(Path bin, Path directory, int port, ServerProcess process) {
        super(directory, port, process);
        this.bin = bin;
    }

    /**
     * One server for the whole JVM, started on first use, for test classes to share; killed when the
     * JVM exits. Do not close it.
     */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = launch();
        }
        return shared;
    }

    /** A new server of one's own (for a test that stops, kills or breaks it); close it when done. */
    public static PostgresServer launch() {
        RequiredTools.require("postgresql", "initdb", "postgres", "pg_isready", "psql");
        Path bin = binaries();
        List<String> runAs = runAsPostgres();
        Path directory = Directories.createTemp("basalt-postgres-");
        try {
            if (!runAs.isEmpty()) {
                Files.setOwner(directory, postgresUser(directory));
            }
            Commands.run(command(runAs, bin.resolve("initdb").toString(), "-D", directory.resolve("data").toString(),
                    "-U", "postgres", "--no-sync", "--no-locale", "-E", "UTF8",
                    "--auth-local=trust", "--auth-host=scram-sha-256"), Duration.ofSeconds(60));
        } catch (IOException e) {
            Directories.deleteRecursively(directory);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            Directories.deleteRecursively(directory);
            throw e;
        }
        int port = FreePorts.next();
        ServerProcess process = new ServerProcess("postgres", command(runAs, bin.resolve("postgres").toString(),
                "-D", directory.resolve("data").toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + directory,
                "-c", "max_connections=200", "-c", "fsync=off", "-c", "full_page_writes=off"),
                directory.resolve("postgres.log"), "INT");
        PostgresServer server = new PostgresServer(bin, directory, port, process);
        server.startFirstTime();
        return server;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public String sqlalchemyUrl() {
        return "postgresql://" + USER + ":" + password() + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    boolean answers() {
        return Commands.succeeds(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", directory().toString(),
                "-p", Integer.toString(port())), Duration.ofSeconds(10));
    }

    @Override
    void runAsAdministrator(List<String> statements) {
        List<String> psql = new ArrayList<>(List.of(bin.resolve("psql").toString(), "-X", "-q", "-h",
                directory().toString(), "-p", Integer.toString(port()), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1"));
        for (String statement : statements) {
            psql.add("-c");
            psql.add(statement);
        }
        Commands.run(psql, Duration.ofSeconds(60));
    }

    @Override
    List<String> setupStatements() {
        return List.of("CREATE USER " + USER + " PASSWORD '" + password() + "'",
                "CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }

    @Override
    List<String> createDatabaseStatements(String name) {
        return List.of("CREATE DATABASE " + name + " OWNER " + USER);
    }

    /** Where the server's programs are: next to initdb, which may be on PATH as a link to them. */
    static Path binaries() {
        try {
            return RequiredTools.find("initdb").toRealPath().getParent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prefix that runs a program as {@code postgres} when we are root; none otherwise. */
    private static List<String> runAsPostgres() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        RequiredTools.require("util-linux", "setpriv");
        return List.of(RequiredTools.find("setpriv").toString(), "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--");
    }

    private static UserPrincipal postgresUser(Path directory) throws IOException {
        return directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    }

    private static List<String> command(List<String> prefix, String... program) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(program));
        return command;
    }
}
