package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.ContentDigest;
import dev.basalt.testkit.DatabaseServer;
import dev.basalt.testkit.RabbitServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The split deployment ({@link SplitDeployment}) on a real RabbitMQ and a real database server,
 * driven with the real cinder client: it really uses the broker and the database it names,
 * placement follows types and disabled services across nodes, each operation reaches the node that
 * owns the volume, both API processes show the same state, and one survives the other's death.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SplitDeploymentContract {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Under target/, so the roles' logs stay for a look after a failure. */
    private Path dir;

    private RabbitServer rabbit;
    private DatabaseServer database;
    private String databaseName;
    private SplitDeployment deployment;
    private Cli cli1;
    private Cli cli2;
    private Api api1;
    private Api api2;

    /** The database server this deployment runs on. */
    abstract DatabaseServer databaseServer();

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        rabbit = RabbitServer.shared();
        database = databaseServer();
        databaseName = "split_" + UUID.randomUUID().toString().substring(0, 8);
        dir = Files.createDirectories(Path.of("target", getClass().getSimpleName() + "-" + databaseName)).toAbsolutePath();
        deployment = new SplitDeployment(dir, rabbit, SplitDeployment.freshDatabase(database, databaseName)).start();
        cli1 = new Cli(deployment.endpoint(deployment.apiPort1), "u1", "p1");
        cli2 = new Cli(deployment.endpoint(deployment.apiPort2), "u1", "p1");
        api1 = new Api(deployment.endpoint(deployment.apiPort1), "u1", "p1");
        api2 = new Api(deployment.endpoint(deployment.apiPort2), "u1", "p1");
    }

    @AfterAll
    void stop() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    private List<String> rows(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(databaseName), database.user(),
                database.password()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private JsonNode volume(String id) throws Exception {
        return volume(api1, id);
    }

    private static JsonNode volume(Api api, String id) throws Exception {
        return api.get("/volumes/" + id).body().get("volume");
    }

    private String create(Cli cli, String... args) throws Exception {
        return create(cli, api1, args);
    }

    private String create(Cli cli, Api api, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("create", "--name", "v-" + UUID.randomUUID()));
        line.addAll(List.of(args));
        line.add("1");
        String id = Tables.properties(cli.cinder(line.toArray(String[]::new)).ok().stdout()).get("id");
        await().atMost(PATIENCE).until(() -> volume(api, id).get("status").asText().equals("available"));
        return id;
    }

    private static String backendOf(JsonNode volume) {
        String host = volume.get("os-vol-host-attr:host").asText();
        return host.substring(0, host.indexOf('#'));
    }

    @Test
    @Order(1)
    void theRolesUseTheBrokerAndTheDatabaseTheyName() throws Exception {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("SELECT host FROM services"))
                .contains("control", "node1@file", "node2@fast"));
        assertThat(rabbit.queue("volume.node1@file")).isPresent();
        assertThat(rabbit.queue("volume.node2@fast")).isPresent();
        assertThat(rabbit.queue("scheduler")).isPresent();
        assertThat(deployment.log("db-sync")).contains("schema is up to date").contains(":***@")
                .doesNotContain(database.password());
        assertThat(deployment.log("api1")).contains("RabbitMQ").doesNotContain(database.password());
    }

    @Test
    @Order(2)
    void placementFollowsTheTypeAndEveryOperationReachesTheOwningNode() throws Exception {
        cli1.cinder("type-create", "fast").ok();
        cli1.cinder("type-key", "fast", "set", "volume_backend_name=fast").ok();
        String fast = create(cli1, "--volume-type", "fast");
        assertThat(backendOf(volume(fast))).isEqualTo("node2@fast");
        Path file = deployment.volumesDir("node2", "fast").resolve("volume-" + fast);
        assertThat(file).exists();
        assertThat(rows("SELECT id FROM volumes")).contains(fast);

        cli1.cinder("extend", fast, "2").ok();
        await().atMost(PATIENCE).until(() -> volume(fast).get("size").asInt() == 2
                && volume(fast).get("status").asText().equals("available"));
        assertThat(Files.size(file)).isEqualTo(2L << 30);

        String snapshot = Tables.properties(cli1.cinder("snapshot-create", "--name", "s1", fast).ok().stdout()).get("id");
        await().atMost(PATIENCE).until(() -> api1.get("/snapshots/" + snapshot).body().get("snapshot")
                .get("status").asText().equals("available"));
        assertThat(deployment.volumesDir("node2", "fast").resolve("snapshot-" + snapshot)).exists();

        cli1.cinder("delete", "--cascade", fast).ok();
        await().atMost(PATIENCE).until(() -> api1.get("/volumes/" + fast).status() == 404);
        assertThat(file).doesNotExist();
    }

    @Test
    @Order(3)
    void aDisabledServiceGetsNoNewVolumes() throws Exception {
        cli1.cinder("service-disable", "node1@file", "cinder-volume").ok();
        try {
            for (int i = 0; i < 3; i++) {
                String id = create(cli1);
                assertThat(backendOf(volume(id))).isEqualTo("node2@fast");
                cli1.cinder("delete", id).ok();
            }
        } finally {
            cli1.cinder("service-enable", "node1@file", "cinder-volume").ok();
        }
    }

    @Test
    @Order(4)
    void aHostAttachesThroughTheTargetOfTheNodeThatOwnsTheVolume() throws Exception {
        Initiators.require();
        String id = create(cli1, "--volume-type", "fast");
        Map<String, String> info = Tables.properties(cli1.cinder("--os-volume-api-version", "3.54", "attachment-create",
                "--connect", "True", "--initiator", "iqn.1993-08.org.debian:01:split", "--ip", "127.0.0.1",
                "--host", "split-compute", id).ok().stdout());
        assertThat(info.get("target_portal")).startsWith("127.0.0.3:");
        String url = Initiators.url(info.get("target_portal"), info.get("target_iqn"), info.get("target_lun"),
                info.get("auth_username"), info.get("auth_password"));
        assertThat(Initiators.qemuIo(url, "write -P 0x6b 0 1M").exitCode()).isZero();
        byte[] head = new byte[1 << 20];
        try (var in = Files.newInputStream(deployment.volumesDir("node2", "fast").resolve("volume-" + id))) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        assertThat(head).containsOnly((byte) 0x6b);
        cli1.cinder("--os-volume-api-version", "3.54", "attachment-delete", info.get("id")).ok();
        await().atMost(PATIENCE).until(() -> volume(id).get("status").asText().equals("available"));
        assertThat(Initiators.qemuIo(url, "read 0 512").exitCode()).isNotZero();
        cli1.cinder("delete", id).ok();
    }

    @Test
    @Order(5)
    void serviceListShowsEveryServiceUp() throws Exception {
        List<Map<String, String>> services = Tables.records(cli1.cinder("service-list").ok().stdout());
        assertThat(services).anySatisfy(s -> assertThat(s).containsEntry("Binary", "cinder-scheduler")
                .containsEntry("Host", "control").containsEntry("State", "up"));
        assertThat(services).anySatisfy(s -> assertThat(s).containsEntry("Binary", "cinder-volume")
                .containsEntry("Host", "node1@file").containsEntry("State", "up"));
        assertThat(services).anySatisfy(s -> assertThat(s).containsEntry("Binary", "cinder-volume")
                .containsEntry("Host", "node2@fast").containsEntry("State", "up"));
        assertThat(RoleProcess.run(dir.resolve("manage-list.log"), "manage", "service", "list", "--config-file",
                deployment.common.toString()))
                .contains("node1@file").contains("node2@fast").contains("cinder-scheduler");
    }

    @Test
    @Order(6)
    void concurrentCreatesThroughBothApisNeverExceedTheQuota() throws Exception {
        Api admin = new Api(deployment.endpoint(deployment.apiPort1), "admin", "p3");
        assertThat(admin.send("PUT", "/os-quota-sets/p3", "{\"quota_set\": {\"volumes\": 4}}", null).status())
                .isEqualTo(200);
        List<Api> apis = List.of(new Api(deployment.endpoint(deployment.apiPort1), "u3", "p3"),
                new Api(deployment.endpoint(deployment.apiPort2), "u3", "p3"));
        List<java.util.concurrent.Future<Api.Response>> posts = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 12; i++) {
                Api api = apis.get(i % 2);
                posts.add(pool.submit(() -> api.post("/volumes", "{\"volume\": {\"size\": 1}}")));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (var post : posts) {
            Api.Response response = post.get();
            statuses.add(response.status());
            if (response.status() == 202) {
                created.add(response.body().get("volume").get("id").asText());
            }
        }
        assertThat(statuses).containsOnly(202, 413);
        assertThat(created).hasSize(4);
        for (String id : created) {
            await().atMost(PATIENCE).until(() -> volume(apis.get(0), id).get("status").asText().equals("available"));
        }
        JsonNode usage = admin.get("/os-quota-sets/p3?usage=True").body().get("quota_set").get("volumes");
        assertThat(usage.get("in_use").asInt()).isEqualTo(4);
        assertThat(usage.get("reserved").asInt()).isZero();
        for (String id : created) {
            assertThat(apis.get(1).delete("/volumes/" + id).status()).isEqualTo(202);
        }
        await().atMost(PATIENCE).until(() -> admin.get("/os-quota-sets/p3?usage=True").body().get("quota_set")
                .get("volumes").get("in_use").asInt() == 0);
    }

    @Test
    @Order(7)
    void bothApisShowTheSameStateAndOneSurvivesTheOthersDeath() throws Exception {
        String id = create(cli1);
        assertThat(cli2.cinder("show", id).ok().stdout()).contains(id);
        assertThat(healthcheck(deployment.apiPort2)).isEqualTo(200);
        deployment.api1.kill();
        assertThat(healthcheck(deployment.apiPort1)).isEqualTo(-1);
        assertThat(healthcheck(deployment.apiPort2)).isEqualTo(200);
        cli2.cinder("delete", id).ok();
        String other = create(cli2, api2);
        assertThat(cli2.cinder("list").ok().stdout()).contains(other).doesNotContain(id);
    }

    @Test
    @Order(8)
    void everyRoleServesItsMetrics() throws Exception {
        assertThat(metrics(deployment.apiPort2))
                .contains("basalt_http_server_requests_seconds_count{method=\"POST\",route=\"/v3/volumes\","
                        + "status=\"202\"}")
                .contains("basalt_bus_messages_sent_total{kind=\"cast\",method=\"create_volume\"}");
        assertThat(metrics(deployment.schedulerMetricsPort))
                .contains("basalt_scheduler_placements_seconds_count{outcome=\"placed\"}")
                .contains("basalt_bus_messages_handled_seconds_count{method=\"update_service_capabilities\",outcome=\"ok\"}")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("basalt_http_server_requests");
        assertThat(metrics(deployment.node1MetricsPort))
                .contains("basalt_backend_total_capacity_gibibytes{backend=\"node1@file\"")
                .contains("basalt_iscsi_sessions{portal=\"127.0.0.2:")
                .contains("basalt_bus_messages_sent_total{kind=\"fanout\",method=\"update_service_capabilities\"}")
                .doesNotContain("basalt_scheduler_placements");
    }

    /** The scrape of a role's {@code GET /metrics} on {@code port}. */
    private static String metrics(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    @Test
    @Order(9)
    void theWorkOfAKilledStorageNodeIsFailedOnceItIsDownForServiceDownTime() throws Exception {
        String doomed = create(cli2, api2, "--volume-type", "fast");
        deployment.volumeNode2.kill();
        cli2.cinder("delete", doomed).ok();
        // Placed on node2 while its last report is fresh, or refused at once: either way it ends in error.
        String stranded = Tables.properties(cli2.cinder("create", "--volume-type", "fast", "--name", "stranded", "1")
                .ok().stdout()).get("id");

        Duration downTimeAndMore = Duration.ofSeconds(90);
        await().atMost(downTimeAndMore).until(() -> volume(api2, doomed).get("status").asText().equals("error_deleting"));
        await().atMost(downTimeAndMore).until(() -> volume(api2, stranded).get("status").asText().equals("error"));
        assertThat(rows("SELECT resource_id FROM workers")).doesNotContain(doomed, stranded);
        assertThat(rows("SELECT error_reason FROM volumes WHERE id = '" + doomed + "'")).singleElement()
                .asString().contains("node2@fast");

        String cleanup = cli2.cinder("--os-volume-api-version", "3.24", "work-cleanup").ok().stdout();
        assertThat(Tables.records(cleanup)).singleElement().satisfies(service -> assertThat(service)
                .containsEntry("Host", "node2@fast").containsEntry("Binary", "cinder-volume"));
    }

    /**
     * After the tests that kill api1 and node2's volume service (node2's is started again here): a
     * backup of a volume on node2 is made by node2's backup service; its restore into a new volume
     * the scheduler puts on node1 (node2 disabled meanwhile) is written by node1's backup service
     * from the repository both share, and holds the bytes the source held when it was backed up; the
     * backup's host is then node1, as Cinder records the backup service that takes a restore.
     */
    @Test
    @Order(10)
    void eachNodesBackupServiceBacksUpItsVolumesAndRestoresFromTheSharedRepository() throws Exception {
        if (!deployment.isRunning("volume-node2")) {
            deployment.restart("volume-node2");
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Map<String, String>> services = Tables.records(cli2.cinder("service-list").ok().stdout());
            for (String[] service : new String[][] {{"cinder-backup", "node1"}, {"cinder-backup", "node2"},
                    {"cinder-volume", "node2@fast"}, {"cinder-volume", "node1@file"}}) {
                assertThat(services).anySatisfy(s -> assertThat(s).containsEntry("Binary", service[0])
                        .containsEntry("Host", service[1]).containsEntry("State", "up"));
            }
        });

        String source = create(cli2, api2, "--volume-type", "fast");
        assertThat(backendOf(volume(api2, source))).isEqualTo("node2@fast");
        Path sourceFile = deployment.volumesDir("node2", "fast").resolve("volume-" + source);
        byte[] data = new byte[3 << 20];
        new Random(20261209).nextBytes(data);
        try (var channel = FileChannel.open(sourceFile, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(data), 100L << 20);
            channel.force(true);
        }
        String atBackup = ContentDigest.ofFile(sourceFile);

        String backup = Tables.properties(cli2.cinder("backup-create", "--name", "split", source).ok().stdout())
                .get("id");
        await().atMost(PATIENCE).until(() -> backupStatus(backup).equals("available"));
        assertThat(rows("SELECT host FROM backups WHERE id = '" + backup + "'")).containsExactly("node2");
        await().atMost(PATIENCE).until(() -> volume(api2, source).get("status").asText().equals("available"));
        try (var channel = FileChannel.open(sourceFile, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[4096]), 100L << 20);
        }

        String restored = restoreWithNode2Disabled(backup);
        await().atMost(PATIENCE).until(() -> volume(api2, restored).get("status").asText().equals("available"));
        await().atMost(PATIENCE).until(() -> backupStatus(backup).equals("available"));
        assertThat(backendOf(volume(api2, restored))).isEqualTo("node1@file");
        assertThat(ContentDigest.ofFile(deployment.volumesDir("node1", "file").resolve("volume-" + restored)))
                .as("the restore on node1 holds what node2's volume held at backup time").isEqualTo(atBackup);
        assertThat(deployment.log("backup-node1")).contains("backup " + backup + " restored into volume " + restored);
        assertThat(rows("SELECT host FROM backups WHERE id = '" + backup + "'"))
                .as("the backup service that restored it, as Cinder records").containsExactly("node1");
        assertThat(deployment.backupRepository().resolve("manifests").resolve(backup + ".json")).exists();

        assertThat(metrics(deployment.backupNode2MetricsPort))
                .contains("basalt_backup_operations_seconds_count{host=\"node2\",operation=\"create_backup\","
                        + "outcome=\"done\"}");
        assertThat(metrics(deployment.backupNode1MetricsPort))
                .contains("basalt_backup_operations_seconds_count{host=\"node1\",operation=\"restore_backup\","
                        + "outcome=\"done\"}");

        assertThat(api2.delete("/backups/" + backup).status()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> api2.get("/backups/" + backup).status() == 404);
        assertThat(api2.delete("/volumes/" + source).status()).isEqualTo(202);
        assertThat(api2.delete("/volumes/" + restored).status()).isEqualTo(202);
    }

    /** Restores into a new volume while node2's volume service is disabled: the new volume goes to node1. */
    private String restoreWithNode2Disabled(String backup) throws Exception {
        String node2 = "{\"host\": \"node2@fast\", \"binary\": \"cinder-volume\"}";
        assertThat(api2.send("PUT", "/os-services/disable", node2, null).status()).isEqualTo(200);
        try {
            return Tables.properties(cli2.cinder("backup-restore", backup).ok().stdout()).get("volume_id");
        } finally {
            assertThat(api2.send("PUT", "/os-services/enable", node2, null).status()).isEqualTo(200);
        }
    }

    private String backupStatus(String id) throws Exception {
        return api2.get("/backups/" + id).body().get("backup").get("status").asText();
    }

    /** The healthcheck's status, or -1 when nothing answers. */
    private static int healthcheck(int port) throws Exception {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/healthcheck")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
