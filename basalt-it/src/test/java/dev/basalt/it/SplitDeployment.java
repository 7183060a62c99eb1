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
 * and {@code node2@fast}; all over one RabbitMQ and one database server. The scheduler and node1
 * serve their metrics on listeners of their own.
 */
final class SplitDeployment implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(90);

    final Path dir;
    final Path common;
    final int apiPort1 = FreePorts.next();
    final int apiPort2 = FreePorts.next();
    final int schedulerMetricsPort = FreePorts.next();
    final int node1MetricsPort = FreePorts.next();
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
        start("volume-node1", "node1", "volume", """
                metrics_listen_port = %d
                enabled_backends = file
                [backend_defaults]
                target_ip_address = 127.0.0.2
                target_port = %d
                """.formatted(node1MetricsPort, FreePorts.next()));
        volumeNode2 = start("volume-node2", "node2", "volume", """
                enabled_backends = fast
                [fast]
                volume_backend_name = fast
                target_ip_address = 127.0.0.3
                target_port = %d
                """.formatted(FreePorts.next()));
        api1 = start("api1", "control", "api", "osapi_volume_listen_port = " + apiPort1 + "\n");
        api2 = start("api2", "control2", "api", "osapi_volume_listen_port = " + apiPort2 + "\n");
        return this;
    }

    private RoleProcess start(String name, String host, String role, String extra) throws IOException, InterruptedException {
        Path node = write(name + ".conf", """
                [DEFAULT]
                host = %s
                state_path = %s
                %s""".formatted(host, dir.resolve(host), extra));
        String[] command = {role, "--config-file", common.toString(), "--config-file", node.toString()};
        commands.put(name, command);
        RoleProcess p = RoleProcess.start(dir.resolve(name + ".log"), command).awaitRunning(START);
        processes.put(name, p);
        return p;
    }

    /** kill -9 of the process {@code name} (scheduler, volume-node1, volume-node2, api1, api2). */
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
