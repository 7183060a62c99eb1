package dev.basalt.it;

import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.FreePorts;
import dev.basalt.testkit.RabbitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Basalt as production runs it, every role its own process: a control node (scheduler and two
 * API processes on different ports) and two storage nodes, each a volume service with its own
 * state directory and iSCSI target address (127.0.0.2 and 127.0.0.3), backends {@code node1@file}
 * and {@code node2@fast}, and a backup service ({@code basalt backup}) with the same host, state
 * directory and backends as the node's volume service; all over one RabbitMQ and one database server.
 * The scheduler, node1's volume service and both backup services serve their metrics on listeners
 * of their own.
 *
 * <p>A backup service reads and writes the volumes of its own node, so a backup made on node2
 * restored into a volume the scheduler put on node1 is written by node1's backup service: both
 * backup services use ONE repository ({@code backup_posix_path} = {@code <dir>/backup-repository}),
 * as a real deployment shares an NFS mount between its storage nodes; a repository per node (the
 * default, {@code $state_path/backup}) could restore a backup only on the node that made it.
 */
final class SplitDeployment implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(90);

    final Path dir;
    final Path common;
    final int apiPort1 = FreePorts.next();
    final int apiPort2 = FreePorts.next();
    final int schedulerMetricsPort = FreePorts.next();
    final int node1MetricsPort = FreePorts.next();
    final int backupNode1MetricsPort = FreePorts.next();
    final int backupNode2MetricsPort = FreePorts.next();
    private final Map<String, RoleProcess> processes = new LinkedHashMap<>();
    private final Map<String, String[]> commands = new LinkedHashMap<>();
    RoleProcess api1;
    RoleProcess api2;
    RoleProcess volumeNode2;

    /** A service down for 12 s counts as down, so that the tests of a node's death wait little. */
    SplitDeployment(Path dir, RabbitServer rabbit, String databaseUrl) throws IOException {
        this(dir, rabbit, databaseUrl, "service_down_time = 12\n");
    }

    /** With {@code extraDefaults}: more [DEFAULT] lines every role reads (service_down_time is 60 s unless they set it). */
    SplitDeployment(Path dir, RabbitServer rabbit, String databaseUrl, String extraDefaults) throws IOException {
        this.dir = dir;
        this.common = write("common.conf", """
                [DEFAULT]
                transport_url = %s
                report_interval = 2
                periodic_interval = 2
                osapi_volume_create_wait_ms = 2000
                %s
                [database]
                connection = %s
                """.formatted(rabbit.transportUrl(), extraDefaults, databaseUrl));
    }

    SplitDeployment start() throws IOException, InterruptedException {
        RoleProcess.run(dir.resolve("db-sync.log"), "manage", "--config-file", common.toString(), "db", "sync");
        start("scheduler", "control", "scheduler", "metrics_listen_port = " + schedulerMetricsPort + "\n");
        String node1 = """
                enabled_backends = file
                [backend_defaults]
                target_ip_address = 127.0.0.2
                target_port = %d
                """.formatted(FreePorts.next());
        String node2 = """
                enabled_backends = fast
                [fast]
                volume_backend_name = fast
                target_ip_address = 127.0.0.3
                target_port = %d
                """.formatted(FreePorts.next());
        start("volume-node1", "node1", "volume", "metrics_listen_port = " + node1MetricsPort + "\n" + node1);
        volumeNode2 = start("volume-node2", "node2", "volume", node2);
        // The backup services start while the API processes do, to keep the start short.
        RoleProcess backup1 = launch("backup-node1", "node1", "backup", backupDefaults(backupNode1MetricsPort) + node1);
        RoleProcess backup2 = launch("backup-node2", "node2", "backup", backupDefaults(backupNode2MetricsPort) + node2);
        api1 = start("api1", "control", "api", "osapi_volume_listen_port = " + apiPort1 + "\n");
        api2 = start("api2", "control2", "api", "osapi_volume_listen_port = " + apiPort2 + "\n");
        backup1.awaitRunning(START);
        backup2.awaitRunning(START);
        return this;
    }

    /** The [DEFAULT] lines of a node's backup service: its metrics listener and the shared repository. */
    private String backupDefaults(int metricsPort) {
        return "metrics_listen_port = " + metricsPort + "\nbackup_posix_path = " + backupRepository() + "\n";
    }

    /** The backup repository every backup service shares (as an NFS mount would be shared). */
    Path backupRepository() {
        return dir.resolve("backup-repository");
    }

    private RoleProcess start(String name, String host, String role, String extra) throws IOException, InterruptedException {
        return launch(name, host, role, extra).awaitRunning(START);
    }

    /** Starts {@code basalt <role>} as {@code name} on {@code host}, without waiting for it to run. */
    private RoleProcess launch(String name, String host, String role, String extra) throws IOException {
        Path node = write(name + ".conf", """
                [DEFAULT]
                host = %s
                state_path = %s
                %s""".formatted(host, dir.resolve(host), extra));
        String[] command = {role, "--config-file", common.toString(), "--config-file", node.toString()};
        commands.put(name, command);
        RoleProcess p = RoleProcess.start(dir.resolve(name + ".log"), command);
        processes.put(name, p);
        return p;
    }

    /** Whether the process {@code name} runs (it was not killed, or was started again). */
    boolean isRunning(String name) {
        return processes.get(name).isAlive();
    }

    /**
     * kill -9 of the process {@code name} (scheduler, volume-node1, volume-node2, backup-node1,
     * backup-node2, api1, api2).
     */
    void kill(String name) throws InterruptedException {
        processes.get(name).kill();
    }

    /**
     * Starts {@code name} again as it was started, and waits until it runs. A role refuses to start
     * while the broker or the database is unreachable (exit code 2); like an init system, this tries
     * again every second until the deadline.
     */
    RoleProcess restart(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        RoleProcess p;
        while (true) {
            p = RoleProcess.start(dir.resolve(name + ".log"), commands.get(name));
            try {
                p.awaitRunning(START);
                break;
            } catch (IllegalStateException refused) {
                if (p.isAlive() || p.exitCode() != 2 || System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(1000);
            }
        }
        processes.put(name, p);
        if (name.equals("api1")) {
            api1 = p;
        } else if (name.equals("api2")) {
            api2 = p;
        }
        return p;
    }

    String endpoint(int port) {
        return "http://127.0.0.1:" + port + "/v3";
    }

    /** Where a volume service of {@code host} keeps the files of {@code backend}. */
    Path volumesDir(String host, String backend) {
        return dir.resolve(host).resolve("volumes").resolve(backend);
    }

    String log(String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** The database URL of a fresh database on {@code server}, as cinder.conf names it. */
    static String freshDatabase(DatabaseServer server, String name) {
        server.createDatabase(name);
        String url = server.sqlalchemyUrl();
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    @Override
    public void close() throws InterruptedException {
        List<RoleProcess> running = new ArrayList<>(processes.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }
}
