package dev.basalt.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway MariaDB server (Debian's {@code mariadb-server}) for tests: {@code mariadb-install-db}
 * into a fresh temporary directory, {@code mariadbd} on 127.0.0.1 and a free port with its unix
 * socket in that directory, user {@code basalt} (password) with every right on database
 * {@code basalt}. The server's character set is utf8mb4, as Debian configures it. Durability is
 * traded for speed (the redo log is written at each commit, not flushed): a killed server keeps
 * what it committed, a crashed machine would not. Starts in about two seconds.
 */
public final class MariaDbServer extends DatabaseServer {
    /** Options given to the installer and the server alike (the redo log must be made as it will be used). */
    private static final List<String> INNODB = List.of("--innodb-log-file-size=8M",
            "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=64M");

    private static MariaDbServer shared;

    private final Path client;

    private MariaDbServer(Path client, Path directory, int port, ServerProcess process) {
        super(directory, port, process);
        this.client = client;
    }

    /**
     * One server for the whole JVM, started on first use, for test classes to share; killed when the
     * JVM exits. Do not close it.
     */
    public static synchronized MariaDbServer shared() {
        if (shared == null) {
            shared = launch();
        }
        return shared;
    }

    /** A new server of one's own (for a test that stops, kills or breaks it); close it when done. */
    public static MariaDbServer launch() {
        RequiredTools.require("mariadb-server", "mariadbd", "mariadb-install-db", "mariadb");
        String osUser = System.getProperty("user.name");
        List<String> asUser = "root".equals(osUser) ? List.of("--user=root") : List.of();
        Path directory = Directories.createTemp("basalt-mariadb-");
        String data = "--datadir=" + directory.resolve("data");
        try {
            List<String> install = new ArrayList<>(List.of(RequiredTools.find("mariadb-install-db").toString(),
                    "--no-defaults", data, "--auth-root-authentication-method=socket",
                    "--auth-root-socket-user=" + osUser, "--skip-test-db"));
            install.addAll(asUser);
            install.addAll(INNODB);
            try {
                Commands.run(install, Duration.ofSeconds(120));
            } catch (RuntimeException once) {
                // seen once on a loaded machine: mariadb-install-db failed to bootstrap; a second try on a
                // clean directory has succeeded every time since
                System.err.println("mariadb-install-db failed, trying once more: " + once.getMessage().lines()
                        .findFirst().orElse(""));
                Directories.deleteRecursively(directory.resolve("data"));
                Commands.run(install, Duration.ofSeconds(120));
            }
        } catch (RuntimeException e) {
            Directories.deleteRecursively(directory);
            throw e;
        }
        int port = FreePorts.next();
        List<String> server = new ArrayList<>(List.of(RequiredTools.find("mariadbd").toString(), "--no-defaults",
                data, "--socket=" + directory.resolve("mariadb.sock"), "--pid-file=" + directory.resolve("mariadb.pid"),
                "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve", "--max-connections=300",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"));
        server.addAll(asUser);
        server.addAll(INNODB);
        ServerProcess process = new ServerProcess("mariadbd", server, directory.resolve("mariadb.log"), "TERM");
        MariaDbServer mariadb = new MariaDbServer(RequiredTools.find("mariadb"), directory, port, process);
        mariadb.startFirstTime();
        return mariadb;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public String sqlalchemyUrl() {
        return "mysql+pymysql://" + USER + ":" + password() + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    boolean answers() {
        return Commands.succeeds(client("SELECT 1"), Duration.ofSeconds(10));
    }

    @Override
    void runAsAdministrator(List<String> statements) {
        Commands.run(client(String.join(";\n", statements)), Duration.ofSeconds(60));
    }

    @Override
    List<String> setupStatements() {
        return List.of("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + password() + "'",
                "CREATE DATABASE " + DATABASE, "GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'%'");
    }

    @Override
    List<String> createDatabaseStatements(String name) {
        return List.of("CREATE DATABASE " + name, "GRANT ALL ON " + name + ".* TO '" + USER + "'@'%'");
    }

    /** The command-line client as the server's root (unix-socket authentication), running {@code sql}. */
    private List<String> client(String sql) {
        return List.of(client.toString(), "--no-defaults", "--protocol=socket",
                "--socket=" + directory().resolve("mariadb.sock"), "-uroot", "-e", sql);
    }
}
