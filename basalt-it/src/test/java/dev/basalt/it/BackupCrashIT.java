package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.ContentDigest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup service killed with SIGKILL in the middle of its work, on a real {@code basalt all}
 * restarted on the same state, as issue 10 asks: a backup cut short ends {@code error} (or
 * {@code available} if it had been stored), its volume goes back to {@code available}, its delete
 * leaves no file in the repository that no manifest refers to, and new backups and restores still
 * give the volume's bytes; a restore cut short leaves its volume {@code error_restoring} and the
 * backup {@code available}, and a second restore works; a volume create from a backup cut short
 * leaves its volume {@code error} (never {@code creating}), and a second create works; two volumes
 * created from one backup at once both end {@code available} with its bytes and {@code src_backup_id}
 * (the backup cannot be deleted meanwhile), and a kill during two such restores ends both volumes in a
 * final status. On the way, the progress of the running
 * backup and restore is seen as {@code basalt:progress} in the backup's detail and as
 * {@code basalt_backup_progress_ratio} in {@code /metrics}.
 *
 * <p>A 2 GiB volume holds 768 MiB of random data (incompressible), and the backup service works with
 * one thread, so that a backup or restore takes a few seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupCrashIT {
    private static final long MIB = 1L << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("backup_workers = 1\n");
    private Cli cli;
    private Api api;
    private String source;
    private String sourceSha;
    /** A backup of the source that completed after the first crash. */
    private String good;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        connect();
        source = Tables.properties(cli.cinder("create", "--name", "crash-src", "2").ok().stdout()).get("id");
        awaitVolume(source, "available");
        VolumeFiles.writeRandom(VolumeFiles.of(basalt.volumesDir(), source), 3, 256 * MIB, 20261208);
        sourceSha = ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), source));
    }

    /** Clients for the process now running (it takes a new port at each start). */
    private void connect() {
        cli = basalt.cli("u1", "p1");
        api = new Api(basalt.endpoint(), "u1", "p1");
    }

    private void killAndRestart() throws Exception {
        basalt.kill();
        basalt.start();
        connect();
    }

    private JsonNode volume(String id) throws Exception {
        return api.get("/volumes/" + id).body().get("volume");
    }

    private JsonNode backup(String id) throws Exception {
        return api.get("/backups/" + id).body().get("backup");
    }

    private void awaitVolume(String id, String status) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> volume(id).get("status").asText(), status::equals);
    }

    private String awaitBackup(String id, String... statuses) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> backup(id).get("status").asText(), s -> List.of(statuses).contains(s));
    }

    private Path repository() {
        return basalt.stateDir().resolve("backup");
    }

    /** The files of the repository's chunks/, journal/, tmp/ and deleting/. */
    private long workFiles() throws IOException {
        return BackupRepositoryFiles.workFiles(repository());
    }

    /**
     * Waits until the backup's {@code operation} is under way and shows its progress, strictly
     * between 0 and 100, both as {@code basalt:progress} and in {@code /metrics}; answers the percent.
     */
    private int awaitProgress(String backupId, String status, String operation) {
        Pattern gauge = Pattern.compile("basalt_backup_progress_ratio\\{[^}]*backup=\"" + backupId
                + "\"[^}]*operation=\"" + operation + "\"[^}]*} ([0-9.Ee+-]+)");
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode b = backup(backupId);
            JsonNode progress = b.get("basalt:progress");
            if (!b.get("status").asText().equals(status) || progress.isNull()) {
                return -1;
            }
            int percent = Integer.parseInt(progress.asText().replace("%", ""));
            Matcher m = gauge.matcher(metrics());
            if (percent <= 0 || percent >= 100 || !m.find()) {
                return -1;
            }
            double ratio = Double.parseDouble(m.group(1));
            return ratio > 0 && ratio < 1 ? percent : -1;
        }, percent -> percent > 0);
    }

    private String metrics() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + basalt.port() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private String restoreToNewVolume(String backupId) throws Exception {
        return Tables.properties(cli.cinder("backup-restore", backupId).ok().stdout()).get("volume_id");
    }

    @Test
    @Order(1)
    void aBackupKilledMidwayEndsInErrorAndItsDeleteLeavesNothingBehind() throws Exception {
        long before = workFiles();
        String cut = Tables.properties(cli.cinder("backup-create", "--name", "cut", source).ok().stdout()).get("id");
        int percent = awaitProgress(cut, "creating", "create_backup");
        basalt.kill();
        long leftAtKill = workFiles();
        basalt.start();
        connect();

        String status = awaitBackup(cut, "error", "available");
        awaitVolume(source, "available");
        if (status.equals("available")) {
            // It had been stored entirely before the kill: recorded as it is, and it restores.
            String restored = restoreToNewVolume(cut);
            awaitVolume(restored, "available");
            assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), restored))).isEqualTo(sourceSha);
        } else {
            assertThat(backup(cut).get("fail_reason").asText()).contains("restarted");
            assertThat(repository().resolve("manifests").resolve(cut + ".json"))
                    .as("a cut backup publishes no manifest, so none of its chunks is referenced").doesNotExist();
            assertThat(workFiles()).as("its restart removed every file the cut backup left").isEqualTo(before);
        }
        assertThat(leftAtKill).as("killed at %d%%, the backup had stored chunks", percent).isGreaterThan(before);

        cli.cinder("backup-delete", cut).ok();
        await().atMost(PATIENCE).until(() -> api.get("/backups/" + cut).status() == 404);
        assertThat(workFiles()).as("no file of the cut backup is left").isEqualTo(before);
        assertThat(volume(source).get("status").asText()).isEqualTo("available");

        good = Tables.properties(cli.cinder("backup-create", "--name", "good", source).ok().stdout()).get("id");
        awaitBackup(good, "available");
        assertThat(backup(good).get("basalt:progress").asText()).isEqualTo("100%");
        assertThat(basalt.log()).contains("backup " + good + ": create_backup 100% done (");
        assertThat(metrics()).doesNotContain("backup=\"" + good + "\"");
        String restored = restoreToNewVolume(good);
        awaitVolume(restored, "available");
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), restored))).isEqualTo(sourceSha);
        cli.cinder("delete", restored).ok();
    }

    @Test
    @Order(2)
    void aRestoreKilledMidwayLeavesItsVolumeErrorRestoringAndASecondRestoreWorks() throws Exception {
        assertThat(good).as("the backup the first test made").isNotNull();
        String target = restoreToNewVolume(good);
        awaitProgress(good, "restoring", "restore_backup");
        killAndRestart();

        awaitVolume(target, "error_restoring");
        assertThat(awaitBackup(good, "available")).isEqualTo("available");
        assertThat(volume(source).get("status").asText()).isEqualTo("available");

        String again = restoreToNewVolume(good);
        awaitVolume(again, "available");
        assertThat(awaitBackup(good, "available")).isEqualTo("available");
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), again))).isEqualTo(sourceSha);
        assertThat(metrics()).doesNotContain("basalt_backup_progress_ratio{");
    }

    @Test
    @Order(3)
    void aCreateFromABackupKilledMidwayLeavesItsVolumeErrorNeverCreatingAndASecondCreateWorks() throws Exception {
        assertThat(good).as("the backup the first test made").isNotNull();
        Map<String, String> answered = Tables.properties(cli.cinder("--os-volume-api-version", "3.47", "create",
                "--name", "from-backup-cut", "--backup-id", good).ok().stdout());
        assertThat(answered.get("status")).as("answered at once, as Cinder").isEqualTo("creating");
        String target = answered.get("id");
        awaitProgress(good, "restoring", "restore_backup");
        assertThat(volume(target).get("status").asText()).as("creating while restored").isEqualTo("creating");
        killAndRestart();

        String ended = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> volume(target).get("status").asText(), s -> !s.equals("creating"));
        assertThat(ended).as("error, or available had the restore ended first").isIn("error", "available");
        assertThat(awaitBackup(good, "available")).isEqualTo("available");

        String again = Tables.properties(cli.cinder("--os-volume-api-version", "3.47", "create", "--name",
                "from-backup-again", "--backup-id", good).ok().stdout()).get("id");
        awaitVolume(again, "available");
        assertThat(awaitBackup(good, "available")).isEqualTo("available");
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), again))).isEqualTo(sourceSha);
        cli.cinder("delete", target).ok();
        cli.cinder("delete", again).ok();
    }

    /**
     * Two volumes created from the backup at once (3.47 {@code backup_id}), both requests sent
     * together so that both find the backup {@code available}, as two users would; their ids. On a
     * busy machine the first restore can begin before the second request reads the backup, which
     * then refuses it as Cinder does (the backup is {@code restoring}); the lone volume is then left
     * to end and deleted, and the pair is sent again.
     */
    private List<String> twoCreatesAtOnce(String backupId, String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<Api.Response> answers = sendTogether(backupId, name);
            List<String> ids = new ArrayList<>();
            for (Api.Response answer : answers) {
                if (answer.status() == 202) {
                    ids.add(answer.body().get("volume").get("id").asText());
                } else {
                    assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
                    assertThat(answer.raw()).contains("Originating backup status must be one of 'available' values");
                }
            }
            if (ids.size() == 2) {
                return ids;
            }
            assertThat(ids).as("one of the two is accepted").hasSize(1);
            assertThat(attempt).as("attempts to send two creates that both find the backup available").isLessThan(8);
            awaitVolume(ids.get(0), "available");
            awaitBackup(backupId, "available");
            cli.cinder("delete", ids.get(0)).ok();
        }
    }

    private List<Api.Response> sendTogether(String backupId, String name) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<Api.Response>> creates = Stream.of(name + "-1", name + "-2").map(n -> threads.submit(() -> {
                go.await();
                return api.send("POST", "/volumes", "{\"volume\": {\"name\": \"" + n + "\", \"backup_id\": \""
                        + backupId + "\"}}", "3.47");
            })).toList();
            go.countDown();
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> create : creates) {
                answers.add(create.get());
            }
            return answers;
        }
    }

    /** Two volumes being created from the good backup at once, the backup's restore under way; their ids. */
    private List<String> twoRestoresUnderWay(String name) throws Exception {
        assertThat(good).as("the backup the first test made").isNotNull();
        List<String> targets = twoCreatesAtOnce(good, name);
        awaitProgress(good, "restoring", "restore_backup");
        return targets;
    }

    @Test
    @Order(4)
    void twoVolumesCreatedFromOneBackupAtOnceBothEndAvailableAndTheBackupCannotBeDeletedMeanwhile() throws Exception {
        List<String> targets = twoRestoresUnderWay("twin");
        Api.Response refused = api.delete("/backups/" + good);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("badRequest").get("message").asText())
                .isEqualTo("Invalid backup: Backup status must be available or error");

        for (String target : targets) {
            awaitVolume(target, "available");
            assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), target))).isEqualTo(sourceSha);
            assertThat(volume(target).get("metadata").get("src_backup_id").asText()).isEqualTo(good);
        }
        assertThat(awaitBackup(good, "available")).isEqualTo("available");
        for (String target : targets) {
            cli.cinder("delete", target).ok();
        }
    }

    @Test
    @Order(5)
    void aKillDuringTwoRestoresOfOneBackupEndsEveryVolumeInAFinalStatus() throws Exception {
        List<String> targets = twoRestoresUnderWay("twin-cut");
        killAndRestart();

        for (String target : targets) {
            String ended = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> volume(target).get("status").asText(), s -> !s.equals("creating"));
            assertThat(ended).as("error, or available had its restore ended first").isIn("error", "available");
        }
        assertThat(awaitBackup(good, "available")).isEqualTo("available");
        for (String target : targets) {
            cli.cinder("delete", target).ok();
        }
    }
}
