package dev.basalt.it;

import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.FreePorts;
import dev.basalt.testkit.RabbitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Basalt as production runs it, every role its own process: a control node (scheduler and two
 * API processes on different ports) and two storage nodes, each a volume service with its own
 * state directory and iSCSI target address (127.0.0.2 and 127.0.0.3), backends {@code node1@file}
 * and {@code node2@fast}; all over one RabbitMQ and one database server.
 */
final class SplitDeployment implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(90);

    final Path dir;
    final Path common;
    final int apiPort1 = FreePorts.next();
    final int apiPort2 = FreePorts.next();
    private final List<RoleProcess> processes = new ArrayList<>();
    RoleProcess api1;
    RoleProcess api2;
    RoleProcess volumeNode2;

    SplitDeployment(Path dir, RabbitServer rabbit, String databaseUrl) throws IOException {
        this.dir = dir;
        this.common = write("common.conf", """
                [DEFAULT]
                transport_url = %s
                report_interval = 2
                periodic_interval = 2
                service_down_time = 12
                osapi_volume_create_wait_ms = 2000
                [database]
                connection = %s
                """.formatted(rabbit.transportUrl(), databaseUrl));
    }

    SplitDeployment start() throws IOException, InterruptedException {
        RoleProcess.run("db-sync", List.of(common), "manage", "db", "sync");
        start("scheduler", "control", "scheduler", "");
        start("volume-node1", "node1", "volume", """
                enabled_backends = file
                [backend_defaults]
                target_ip_address = 127.0.0.2
                target_port = %d
                """.formatted(FreePorts.next()));
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
        RoleProcess p = RoleProcess.start(name, List.of(common, node), role).awaitRunning(START);
        processes.add(p);
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
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
