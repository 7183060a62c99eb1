package dev.basalt.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway single-node Ceph cluster for tests, from Debian's packages ({@code ceph-mon},
 * {@code ceph-mgr}, {@code ceph-osd}, {@code ceph-common}): one monitor, one manager and one
 * bluestore OSD on an 8 GiB sparse file, all in a fresh temporary directory, on 127.0.0.1 only,
 * cephx on, started by hand (no init system, no LVM, no {@code ceph-volume}) and stopped by PID.
 * Pool {@value #POOL} (one replica) is initialised for RBD; user {@code client.}{@value #CLIENT_ID}
 * has the {@code rbd} profile on it and a keyring of its own, as a Cinder deployment's
 * {@code rbd_user} would. Memory is kept low (a small bluestore cache, no optional manager
 * modules): the daemons share a small machine with the tests.
 *
 * <p>It takes some 20 s to start, so tests of a JVM share one ({@link #shared()}); a shutdown hook
 * kills it and removes its directory when the JVM ends. {@link #launch()} makes one of one's own.
 */
public final class CephServer implements AutoCloseable {
    /** The pool the cluster has for RBD images. */
    public static final String POOL = "rbd";
    /** The id of the user with RBD rights on {@value #POOL} (its name is {@code client.<id>}). */
    public static final String CLIENT_ID = "basalt";
    private static final String PACKAGES = "ceph-mon ceph-mgr ceph-osd ceph-common";
    private static final String MON_ID = "a";
    private static final String MGR_ID = "x";
    private static final int OSD_ID = 0;
    private static final long OSD_BLOCK_BYTES = 8L << 30;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private static final StartedOnce<CephServer> SHARED = new StartedOnce<>(CephServer::launch);

    private final Path directory;
    private final int monV2Port;
    private final int monV1Port;
    private final String fsid = UUID.randomUUID().toString();
    private final ServerProcess mon;
    private final ServerProcess mgr;
    private final ServerProcess osd;
    private final Thread exitHook;
    private Duration startupTime = Duration.ZERO;

    private CephServer(Path directory) {
        this.directory = requireNonNull(directory, "directory");
        this.monV2Port = FreePorts.next();
        this.monV1Port = FreePorts.next();
        Path log = directory.resolve("log");
        this.mon = new ServerProcess("ceph-mon", List.of(program("ceph-mon"), "-f", "-c", confFile().toString(),
                "-i", MON_ID), log.resolve("ceph-mon.out"), "TERM");
        this.mgr = new ServerProcess("ceph-mgr", List.of(program("ceph-mgr"), "-f", "-c", confFile().toString(),
                "-i", MGR_ID), log.resolve("ceph-mgr.out"), "TERM");
        this.osd = new ServerProcess("ceph-osd", List.of(program("ceph-osd"), "-f", "-c", confFile().toString(),
                "-i", Integer.toString(OSD_ID)), log.resolve("ceph-osd.out"), "TERM");
        this.exitHook = new Thread(this::killAndRemove, "kill ceph on exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * The cluster every test of this JVM shares, started on first use; killed when the JVM exits. Do
     * not close it. Skips the test (fails it under CI) when Ceph is not installed.
     */
    public static CephServer shared() {
        requireTools();
        return SHARED.get();
    }

    /** A cluster of one's own (for a test that stops or kills it); close it when done. */
    public static CephServer launch() {
        requireTools();
        CephServer server = new CephServer(Directories.createTemp("basalt-ceph-"));
        try {
            server.bootstrap();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The {@code ceph.conf} clients read: the monitor's addresses, the fsid, cephx. */
    public Path confFile() {
        return directory.resolve("ceph.conf");
    }

    /** The keyring of {@code client.admin}, who may do anything. */
    public Path adminKeyring() {
        return directory.resolve("client.admin.keyring");
    }

    /** The keyring of {@link #clientName()}, the user with the {@code rbd} profile on {@value #POOL}. */
    public Path clientKeyring() {
        return directory.resolve("client." + CLIENT_ID + ".keyring");
    }

    /** {@code client.basalt}: the user's full name, as librados takes it. */
    public String clientName() {
        return "client." + CLIENT_ID;
    }

    /** {@value #CLIENT_ID}: the user's id, as Cinder's {@code rbd_user} and {@code rbd --id} take it. */
    public String clientId() {
        return CLIENT_ID;
    }

    public String pool() {
        return POOL;
    }

    /** The monitor's address as ceph.conf's {@code mon host} names it: {@code [v2:127.0.0.1:p,v1:127.0.0.1:q]}. */
    public String monHost() {
        return "[v2:127.0.0.1:" + monV2Port + ",v1:127.0.0.1:" + monV1Port + "]";
    }

    /** The monitor's msgr2 port (on 127.0.0.1). */
    public int monV2Port() {
        return monV2Port;
    }

    /** The monitor's legacy (msgr1) port (on 127.0.0.1), the one Cinder reports in {@code ports}. */
    public int monV1Port() {
        return monV1Port;
    }

    public String fsid() {
        return fsid;
    }

    /** Where the cluster keeps its configuration, keyrings, data and logs. */
    public Path directory() {
        return directory;
    }

    /** How long the last start from nothing took (mkfs to a pool ready for RBD). */
    public Duration startupTime() {
        return startupTime;
    }

    /** Runs {@code ceph args…} as {@code client.admin} and returns its output; fails when it does. */
    public String ceph(String... args) {
        return Commands.run(cephCommand(List.of(args)), COMMAND_TIMEOUT);
    }

    /** Runs {@code rbd args…} as {@link #clientName()} (as a Cinder host would) and returns its output; fails when it does. */
    public String rbd(String... args) {
        List<String> command = new ArrayList<>(List.of(program("rbd"), "-c", confFile().toString(),
                "--id", CLIENT_ID, "--keyring", clientKeyring().toString()));
        command.addAll(List.of(args));
        return Commands.run(command, COMMAND_TIMEOUT);
    }

    /** The process ids of the monitor, manager and OSD (for memory figures). */
    public List<Long> pids() {
        return List.of(mon, mgr, osd).stream().map(ServerProcess::pid).filter(p -> p > 0).toList();
    }

    /** True while all three daemons run. */
    public boolean running() {
        return mon.alive() && mgr.alive() && osd.alive();
    }

    /** Starts the daemons again after {@link #stop} or {@link #kill}: same ports, same data. */
    public synchronized void start() {
        mon.start(this::monAnswers);
        mgr.start(() -> true);
        osd.start(this::osdUp);
        awaitManager();
    }

    /** Stops the daemons cleanly (OSD, manager, monitor) and waits until they have exited. */
    public synchronized void stop() {
        osd.stop();
        mgr.stop();
        mon.stop();
    }

    /** SIGKILL to every daemon, as if the machine had crashed. */
    public synchronized void kill() {
        osd.kill();
        mgr.kill();
        mon.kill();
    }

    /** Stops the cluster and removes its directory (and the OSD's block file with it). */
    @Override
    public void close() {
        stop();
        Directories.deleteRecursively(directory);
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs anyway and finds nothing left to do
        }
    }

    private void bootstrap() {
        long started = System.nanoTime();
        try {
            for (String sub : List.of("mon", "mgr", "osd", "run", "log", "crash")) {
                Files.createDirectories(directory.resolve(sub));
            }
            Files.writeString(confFile(), CephConf.render(directory, fsid, monHost(), OSD_BLOCK_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        makeKeys();
        Path monmap = directory.resolve("monmap");
        run(program("monmaptool"), "--create", "--addv", MON_ID, monHost(), "--fsid", fsid, monmap.toString());
        run(program("ceph-mon"), "-c", confFile().toString(), "--mkfs", "-i", MON_ID, "--monmap", monmap.toString(),
                "--keyring", monKeyring().toString());
        mon.start(this::monAnswers);
        mgr.start(() -> true);
        Path secrets = directory.resolve("osd-secrets.json");
        try {
            Files.writeString(secrets, "{\"cephx_secret\": \"" + keyOf(directory.resolve("osd").resolve("keyring")) + "\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String osdUuid = UUID.randomUUID().toString();
        ceph("osd", "new", osdUuid, Integer.toString(OSD_ID), "-i", secrets.toString());
        // mkfs asks the monitor for the cluster's maps, so it comes after the monitor is up
        run(program("ceph-osd"), "-c", confFile().toString(), "-i", Integer.toString(OSD_ID), "--mkfs",
                "--osd-uuid", osdUuid);
        osd.start(this::osdUp);
        ceph("osd", "pool", "create", POOL, "8", "8", "replicated");
        run(program("rbd"), "-c", confFile().toString(), "-n", "client.admin", "--keyring",
                adminKeyring().toString(), "pool", "init", POOL);
        awaitManager();
        startupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Keys made before the monitor exists, imported into its keyring so that {@code --mkfs} puts
     * them in its auth database with their caps: no round trips to make them later.
     */
    private void makeKeys() {
        String authtool = program("ceph-authtool");
        run(authtool, "--create-keyring", monKeyring().toString(), "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
        run(authtool, "--create-keyring", adminKeyring().toString(), "--gen-key", "-n", "client.admin",
                "--cap", "mon", "allow *", "--cap", "osd", "allow *", "--cap", "mgr", "allow *", "--cap", "mds", "allow *");
        run(authtool, "--create-keyring", clientKeyring().toString(), "--gen-key", "-n", clientName(),
                "--cap", "mon", "profile rbd", "--cap", "osd", "profile rbd pool=" + POOL,
                "--cap", "mgr", "profile rbd pool=" + POOL);
        Path mgrKeyring = directory.resolve("mgr").resolve("keyring");
        run(authtool, "--create-keyring", mgrKeyring.toString(), "--gen-key", "-n", "mgr." + MGR_ID,
                "--cap", "mon", "allow profile mgr", "--cap", "osd", "allow *", "--cap", "mds", "allow *");
        // the OSD's key goes to the monitor with "osd new" (which also puts the OSD in the map)
        run(authtool, "--create-keyring", directory.resolve("osd").resolve("keyring").toString(), "--gen-key",
                "-n", "osd." + OSD_ID);
        for (Path keyring : List.of(adminKeyring(), clientKeyring(), mgrKeyring)) {
            run(authtool, monKeyring().toString(), "--import-keyring", keyring.toString());
        }
    }

    private Path monKeyring() {
        return directory.resolve("mon.keyring");
    }

    private boolean monAnswers() {
        return Commands.succeeds(cephCommand(List.of("--connect-timeout", "5", "mon", "stat")), COMMAND_TIMEOUT);
    }

    private boolean osdUp() {
        try {
            return ceph("--connect-timeout", "5", "osd", "stat", "-f", "json").replace(" ", "")
                    .contains("\"num_up_osds\":1,");
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /**
     * Waits until the manager is active and its pool statistics ({@code ceph df}, which a driver's capacity
     * report reads) list the pool: for a few seconds after it becomes active they may not yet.
     */
    private void awaitManager() {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (!ceph("mgr", "stat", "-f", "json").replace(" ", "").contains("\"available\":true")
                || !ceph("df", "-f", "json").replace(" ", "").contains("\"name\":\"" + POOL + "\"")) {
            if (!mgr.alive()) {
                throw new IllegalStateException("ceph-mgr exited:\n" + mgr.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ceph-mgr not active within " + COMMAND_TIMEOUT + ":\n" + mgr.logTail());
            }
            ServerProcess.sleep(200);
        }
    }

    private List<String> cephCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(program("ceph"), "-c", confFile().toString(),
                "-n", "client.admin", "--keyring", adminKeyring().toString()));
        command.addAll(args);
        return command;
    }

    private static String keyOf(Path keyring) throws IOException {
        return Files.readAllLines(keyring).stream().map(String::trim).filter(l -> l.startsWith("key ="))
                .map(l -> l.substring("key =".length()).trim()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no key in " + keyring));
    }

    private static void run(String... command) {
        Commands.run(List.of(command), COMMAND_TIMEOUT);
    }

    private static String program(String name) {
        Path path = RequiredTools.find(name);
        return path == null ? name : path.toString();
    }

    private static void requireTools() {
        RequiredTools.require(PACKAGES, "ceph-mon", "ceph-mgr", "ceph-osd", "ceph", "ceph-authtool", "monmaptool", "rbd");
    }

    private void killAndRemove() {
        kill();
        Directories.deleteRecursively(directory);
    }
}
