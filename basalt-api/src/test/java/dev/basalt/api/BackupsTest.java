package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.BackupQuery;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupRpc;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /backups}: every route, its view per microversion and Cinder's rules, against a stand-in backup service. */
class BackupsTest {
    static final Set<String> SUMMARY = Set.of("id", "name", "links");
    static final Set<String> DETAIL = Set.of("availability_zone", "container", "created_at", "data_timestamp",
            "description", "fail_reason", "has_dependent_backups", "id", "is_incremental", "links", "name",
            "object_count", "size", "snapshot_id", "status", "updated_at", "volume_id", "basalt:progress");

    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static String body(String volumeId, String extra) {
        return TestApi.backupBody(volumeId, extra);
    }

    static String availableBackup(String volumeId, String extra) {
        return api.availableBackup(volumeId, extra);
    }

    static void awaitBackup(String id, BackupStatus status) {
        api.awaitBackupStatus(id, status);
    }

    static long backupCount() {
        return api.backups.list(BackupQuery.allOf(null)).items().size();
    }

    static Set<String> names(JsonNode node) {
        return TestApi.fieldNames(node);
    }

    @Test
    void createAnswersTheSummaryAndTheBackupServiceOfTheVolumesHostTakesIt() {
        String volume = api.availableVolume("src", 2);
        TestApi.Reply r = api.post(TestApi.p("/backups"), body(volume, "\"name\": \"backup001\", \"description\":"
                + " \"Test backup\", \"container\": \"c1\", \"metadata\": {\"k\": \"v\"}"), "3.43");
        assertThat(r.status()).isEqualTo(202);
        JsonNode b = r.json().get("backup");
        assertThat(names(r.json())).containsExactly("backup");
        assertThat(names(b)).isEqualTo(SUMMARY);
        String id = b.get("id").asText();
        assertThat(b.get("name").asText()).isEqualTo("backup001");
        assertThat(b.get("links").get(0).get("href").asText()).endsWith("/v3/" + TestApi.PROJECT + "/backups/" + id);
        assertThat(b.get("links").get(0).get("rel").asText()).isEqualTo("self");
        assertThat(b.get("links").get(1).get("href").asText()).endsWith("/" + TestApi.PROJECT + "/backups/" + id)
                .doesNotContain("/v3/");
        assertThat(b.get("links").get(1).get("rel").asText()).isEqualTo("bookmark");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.backupService.creates.stream().anyMatch(c -> c.backupId().equals(id)));
        awaitBackup(id, BackupStatus.AVAILABLE);
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        Backup row = api.backups.find(id).orElseThrow();
        assertThat(row.projectId()).isEqualTo(TestApi.PROJECT);
        assertThat(row.userId()).isEqualTo(TestApi.USER);
        assertThat(row.container()).isEqualTo("c1");
        assertThat(row.size()).isEqualTo(2);
        assertThat(row.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(row.availabilityZone()).isEqualTo("nova");
        assertThat(row.parentId()).isNull();
    }

    @Test
    void showHasCinderFieldsAtEachMicroversion() {
        String volume = api.availableVolume("show", 1);
        String id = availableBackup(volume, "\"name\": \"b\", \"metadata\": {\"a\": \"1\"}");
        JsonNode base = api.get(TestApi.p("/backups/" + id)).json().get("backup");
        assertThat(names(base)).isEqualTo(DETAIL);
        assertThat(base.get("status").asText()).isEqualTo("available");
        assertThat(base.get("size").asInt()).isEqualTo(1);
        assertThat(base.get("object_count").asInt()).isEqualTo(1);
        assertThat(base.get("volume_id").asText()).isEqualTo(volume);
        assertThat(base.get("is_incremental").asBoolean()).isFalse();
        assertThat(base.get("has_dependent_backups").asBoolean()).isFalse();
        assertThat(base.get("snapshot_id").isNull()).isTrue();
        assertThat(base.get("fail_reason").isNull()).isTrue();
        assertThat(base.get("container").isNull()).isTrue();
        assertThat(base.get("description").isNull()).isTrue();
        assertThat(base.get("availability_zone").asText()).isEqualTo("nova");
        assertThat(base.get("data_timestamp").asText()).isEqualTo(base.get("created_at").asText());
        assertThat(base.get("basalt:progress").asText()).isEqualTo("100%");
        assertThat(base.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(names(api.get(TestApi.p("/backups/" + id), "3.17").json().get("backup"))).isEqualTo(DETAIL);
        assertThat(names(api.get(TestApi.p("/backups/" + id), "3.18").json().get("backup")))
                .isEqualTo(with(DETAIL, "os-backup-project-attr:project_id"));
        JsonNode v343 = api.get(TestApi.p("/backups/" + id), "3.43").json().get("backup");
        assertThat(names(v343)).isEqualTo(with(DETAIL, "os-backup-project-attr:project_id", "metadata"));
        assertThat(v343.get("metadata").toString()).isEqualTo("{\"a\":\"1\"}");
        JsonNode latest = api.get(TestApi.p("/backups/" + id), "3.70").json().get("backup");
        assertThat(names(latest)).isEqualTo(with(DETAIL, "os-backup-project-attr:project_id", "metadata", "user_id"));
        assertThat(latest.get("user_id").asText()).isEqualTo(TestApi.USER);
        assertThat(latest.get("os-backup-project-attr:project_id").asText()).isEqualTo(TestApi.PROJECT);
        TestApi.Reply missing = api.get(TestApi.p("/backups/9a3c1a56-0000-4000-8000-000000000000"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.faultMessage()).isEqualTo("Backup 9a3c1a56-0000-4000-8000-000000000000 could not be found.");
    }

    static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new java.util.TreeSet<>(base);
        all.addAll(Set.of(more));
        return all;
    }

    @Test
    void listsInSummaryAndDetailWithFiltersSortPagesAndCount() {
        String project = TestApi.newProject();
        String volume = createVolumeIn(project, 1);
        String a = backupIn(project, volume, "alpha");
        String b = backupIn(project, volume, "beta");
        String c = backupIn(project, volume, "gamma");
        JsonNode summary = api.as(project, "GET", "/backups", null).json();
        assertThat(names(summary)).containsExactly("backups");
        assertThat(summary.get("backups")).hasSize(3);
        assertThat(names(summary.get("backups").get(0))).isEqualTo(SUMMARY);
        assertThat(summary.get("backups").get(0).get("id").asText()).isEqualTo(c);
        JsonNode detail = api.as(project, "GET", "/backups/detail", null).json().get("backups");
        assertThat(names(detail.get(0))).isEqualTo(DETAIL);

        JsonNode byName = api.as(project, "GET", "/backups?name=beta", null).json().get("backups");
        assertThat(byName).hasSize(1);
        assertThat(byName.get(0).get("id").asText()).isEqualTo(b);
        assertThat(api.as(project, "GET", "/backups?status=error", null).json().get("backups")).isEmpty();
        assertThat(api.as(project, "GET", "/backups?volume_id=" + volume, null).json().get("backups")).hasSize(3);
        assertThat(api.as(project, "GET", "/backups?no_such_column=1", null).json().get("backups")).isEmpty();

        JsonNode sorted = api.call("GET", "/v3/" + project + "/backups?sort=name:asc").token("u:" + project)
                .version("3.37").send().json().get("backups");
        assertThat(sorted.get(0).get("id").asText()).isEqualTo(a);
        assertThat(api.call("GET", "/v3/" + project + "/backups?sort=name:asc").token("u:" + project)
                .version("3.36").send().status()).isEqualTo(400);
        JsonNode like = api.call("GET", "/v3/" + project + "/backups?name~=amm").token("u:" + project)
                .version("3.34").send().json().get("backups");
        assertThat(like).hasSize(1);
        assertThat(like.get(0).get("id").asText()).isEqualTo(c);

        JsonNode page = api.as(project, "GET", "/backups?limit=2", null).json();
        assertThat(page.get("backups")).hasSize(2);
        assertThat(page.get("backups_links").get(0).get("rel").asText()).isEqualTo("next");
        assertThat(page.get("backups_links").get(0).get("href").asText()).contains("marker=" + b);
        JsonNode next = api.as(project, "GET", "/backups?limit=2&marker=" + b, null).json();
        assertThat(next.get("backups")).hasSize(1);
        assertThat(next.get("backups").get(0).get("id").asText()).isEqualTo(a);
        assertThat(next.has("backups_links")).isFalse();

        JsonNode counted = api.call("GET", "/v3/" + project + "/backups/detail?with_count=true&limit=1")
                .token("u:" + project).version("3.45").send().json();
        assertThat(counted.get("count").asInt()).isEqualTo(3);
        assertThat(counted.get("backups")).hasSize(1);
        assertThat(api.call("GET", "/v3/" + project + "/backups?with_count=true").token("u:" + project)
                .version("3.44").send().json().has("count")).isFalse();
    }

    static String createVolumeIn(String project, int size) {
        String id = api.createVolumeIn(project, size);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        return id;
    }

    static String backupIn(String project, String volume, String name) {
        TestApi.Reply r = api.as(project, "POST", "/backups", body(volume, "\"name\": \"" + name + "\""));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("backup").get("id").asText();
        awaitBackup(id, BackupStatus.AVAILABLE);
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        return id;
    }

    @Test
    void anIncrementalBackupBuildsOnTheLatestAvailableBackupOfTheVolume() {
        String volume = api.availableVolume("incr", 1);
        TestApi.Reply none = api.post(TestApi.p("/backups"), body(volume, "\"incremental\": true"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultMessage()).isEqualTo("Invalid backup: No backups available to do an incremental backup.");
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        String full = availableBackup(volume, "");
        String incremental = availableBackup(volume, "\"incremental\": \"True\"");
        assertThat(api.backups.find(incremental).orElseThrow().parentId()).isEqualTo(full);
        JsonNode shown = api.get(TestApi.p("/backups/" + incremental)).json().get("backup");
        assertThat(shown.get("is_incremental").asBoolean()).isTrue();
        assertThat(api.get(TestApi.p("/backups/" + full)).json().get("backup").get("has_dependent_backups")
                .asBoolean()).isTrue();

        TestApi.Reply dependents = api.delete(TestApi.p("/backups/" + full));
        assertThat(dependents.status()).isEqualTo(400);
        assertThat(dependents.faultMessage()).isEqualTo("Invalid backup: Incremental backups exist for this backup.");
        assertThat(api.backups.find(full).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
    }

    @Test
    void volumesThatAreNotAvailableAreRefusedAndNothingIsWritten() {
        String volume = api.availableVolume("busy", 1);
        api.volumes.resetStatus(volume, VolumeStatus.IN_USE, null);
        long before = backupCount();
        TestApi.Reply noForce = api.post(TestApi.p("/backups"), body(volume, ""));
        assertThat(noForce.status()).isEqualTo(400);
        assertThat(noForce.faultMessage()).isEqualTo("Invalid volume: Backing up an in-use volume must use the force"
                + " flag.");
        api.volumes.resetStatus(volume, VolumeStatus.ERROR, null);
        TestApi.Reply error = api.post(TestApi.p("/backups"), body(volume, ""));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.faultMessage()).isEqualTo("Invalid volume: Volume to be backed up must be available or"
                + " in-use, but the current status is \"error\".");
        assertThat(backupCount()).isEqualTo(before);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(api.post(TestApi.p("/backups"), body("9a3c1a56-0000-4000-8000-000000000000", "")).status())
                .isEqualTo(404);
        assertThat(api.post(TestApi.p("/backups"), "{\"backup\": {\"volume_id\": \"" + volume + "\", \"bogus\": 1}}")
                .status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/backups"), body(volume, "\"metadata\": {}"), "3.42").status()).isEqualTo(400);
    }

    @Test
    void backsUpAnAvailableSnapshotOfTheVolumeOnly() {
        String volume = api.availableVolume("snapped", 1);
        String other = api.availableVolume("other", 1);
        String snapshot = api.availableSnapshot(volume, "s1");
        TestApi.Reply mismatch = api.post(TestApi.p("/backups"), body(other, "\"snapshot_id\": \"" + snapshot + "\""));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.faultMessage()).isEqualTo("Invalid volume: Volume " + other
                + " does not match with snapshot.volume_id " + volume + ".");
        api.snapshots.resetStatus(snapshot, SnapshotStatus.ERROR);
        TestApi.Reply notAvailable = api.post(TestApi.p("/backups"), body(volume, "\"snapshot_id\": \"" + snapshot
                + "\""));
        assertThat(notAvailable.status()).isEqualTo(400);
        assertThat(notAvailable.faultMessage()).isEqualTo("Invalid snapshot: Snapshot to be backed up must be"
                + " available, but the current status is \"error\".");
        api.snapshots.resetStatus(snapshot, SnapshotStatus.AVAILABLE);
        api.backupService.hold = true;
        String id;
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups"), body(volume, "\"snapshot_id\": \"" + snapshot + "\""));
            assertThat(r.status()).isEqualTo(202);
            id = heldCreate(r.json().get("backup").get("id").asText());
            assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.BACKING_UP);
            assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        } finally {
            api.backupService.hold = false;
        }
        Backup row = api.backups.find(id).orElseThrow();
        assertThat(row.snapshotId()).isEqualTo(snapshot);
        assertThat(row.dataTimestamp()).isEqualTo(api.snapshots.find(snapshot).orElseThrow().createdAt());
    }

    @Test
    void aDownOrDisabledBackupServiceIsCindersServiceNotFound() {
        String volume = api.availableVolume("nobackup", 1);
        long before = backupCount();
        api.services.setDisabled("test", BackupRpc.BINARY, true, "maintenance");
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups"), body(volume, ""));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.faultMessage()).isEqualTo("Service cinder-backup could not be found.");
        } finally {
            api.services.setDisabled("test", BackupRpc.BINARY, false, null);
        }
        TestApi.Reply otherZone = api.post(TestApi.p("/backups"), body(volume, "\"availability_zone\": \"elsewhere\""),
                "3.51");
        assertThat(otherZone.status()).isEqualTo(503);
        assertThat(api.post(TestApi.p("/backups"), body(volume, "\"availability_zone\": \"nova\""), "3.50").status())
                .isEqualTo(400);
        assertThat(backupCount()).isEqualTo(before);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void overQuotaIs413AndWritesNothing() {
        String project = TestApi.newProject();
        String volume = createVolumeIn(project, 3);
        api.quotas.setProjectLimits(project, Map.of("backup_gigabytes", 2));
        TestApi.Reply gigabytes = api.as(project, "POST", "/backups", body(volume, ""));
        assertThat(gigabytes.status()).isEqualTo(413);
        assertThat(gigabytes.faultName()).isEqualTo("overLimit");
        assertThat(gigabytes.header("Retry-After")).isEqualTo("0");
        assertThat(gigabytes.faultMessage()).isEqualTo("VolumeBackupSizeExceedsAvailableQuota: Requested backup"
                + " exceeds allowed Backup gigabytes quota. Requested 3G, quota is 2G and 0G has been consumed.");
        api.quotas.setProjectLimits(project, Map.of("backup_gigabytes", 100, "backups", 1));
        backupIn(project, volume, "one");
        TestApi.Reply count = api.as(project, "POST", "/backups", body(volume, ""));
        assertThat(count.status()).isEqualTo(413);
        assertThat(count.faultMessage()).isEqualTo("BackupLimitExceeded: Maximum number of backups allowed (1)"
                + " exceeded");
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        JsonNode usage = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(usage.get("backups").get("in_use").asInt()).isEqualTo(1);
        assertThat(usage.get("backup_gigabytes").get("in_use").asInt()).isEqualTo(3);
        JsonNode limits = api.as(project, "GET", "/limits", null).json().get("limits").get("absolute");
        assertThat(limits.get("totalBackupsUsed").asInt()).isEqualTo(1);
        assertThat(limits.get("totalBackupGigabytesUsed").asInt()).isEqualTo(3);
    }

    @Test
    void restoresIntoANewVolumeOfTheBackupsSize() {
        String volume = api.availableVolume("to-restore", 2);
        String backup = availableBackup(volume, "");
        TestApi.Reply r = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": null}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(names(r.json())).containsExactly("restore");
        JsonNode restore = r.json().get("restore");
        assertThat(names(restore)).containsExactlyInAnyOrder("backup_id", "volume_id", "volume_name");
        assertThat(restore.get("backup_id").asText()).isEqualTo(backup);
        assertThat(restore.get("volume_name").asText()).isEqualTo("restore_backup_" + backup);
        String target = restore.get("volume_id").asText();
        assertThat(api.volume(target).size()).isEqualTo(2);
        assertThat(api.volume(target).description()).isEqualTo("auto-created_from_restore_from_backup");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.backupService.restores.stream()
                .anyMatch(m -> m.backupId().equals(backup) && m.volumeId().equals(target) && m.freshVolume()));
        api.awaitStatus(target, VolumeStatus.AVAILABLE);
        awaitBackup(backup, BackupStatus.AVAILABLE);
        assertThat(api.backups.find(backup).orElseThrow().restoreVolumeId()).isEqualTo(target);

        TestApi.Reply named = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": {\"name\":"
                + " \"mine\"}}");
        assertThat(named.json().get("restore").get("volume_name").asText()).isEqualTo("mine");
        awaitBackup(backup, BackupStatus.AVAILABLE);
    }

    @Test
    void aNewVolumeThatFailsIsA400AndIsRemoved() {
        String volume = api.availableVolume("fails", 1);
        String backup = availableBackup(volume, "");
        long volumesBefore = api.volumeCount();
        api.failScheduling = true;
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": {}}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultMessage()).startsWith("Invalid volume: Error while creating volume ")
                    .endsWith(" for restoring backup " + backup + ".");
        } finally {
            api.failScheduling = false;
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.volumeCount() == volumesBefore);
        assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
    }

    @Test
    void restoresOntoAnAvailableVolumeLargeEnough() {
        String volume = api.availableVolume("big", 2);
        String backup = availableBackup(volume, "");
        String small = api.availableVolume("small", 1);
        TestApi.Reply tooSmall = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": {\"volume_id\":"
                + " \"" + small + "\"}}");
        assertThat(tooSmall.status()).isEqualTo(400);
        assertThat(tooSmall.faultMessage()).isEqualTo("Invalid volume: volume size 1 is too small to restore backup"
                + " of size 2.");
        assertThat(api.volume(small).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);

        String target = api.availableVolume("target", 3);
        api.volumes.resetStatus(target, VolumeStatus.ERROR, null);
        TestApi.Reply notAvailable = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\":"
                + " {\"volume_id\": \"" + target + "\"}}");
        assertThat(notAvailable.status()).isEqualTo(400);
        assertThat(notAvailable.faultMessage()).isEqualTo("Invalid volume: Volume to be restored to must be"
                + " available");
        api.volumes.resetStatus(target, VolumeStatus.AVAILABLE, null);

        api.backupService.hold = true;
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": {\"volume_id\": \""
                    + target + "\"}}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("restore").get("volume_name").asText()).isEqualTo("target");
            assertThat(api.volume(target).status()).isEqualTo(VolumeStatus.RESTORING_BACKUP);
            assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.RESTORING);
            TestApi.Reply again = api.post(TestApi.p("/backups/" + backup + "/restore"), "{\"restore\": {\"volume_id\":"
                    + " \"" + small + "\"}}");
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.faultMessage()).isEqualTo("Invalid backup: Backup status must be available");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.backupService.restores.stream()
                    .anyMatch(m -> m.volumeId().equals(target) && !m.freshVolume()));
        } finally {
            api.backupService.hold = false;
        }
    }

    @Test
    void deletesAvailableAndErrorBackupsAndGivesTheirQuotaBack() {
        String project = TestApi.newProject();
        String volume = createVolumeIn(project, 2);
        String backup = backupIn(project, volume, "gone");
        assertThat(api.as(project, "DELETE", "/backups/" + backup, null).status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.backups.find(backup).isEmpty());
        assertThat(api.backupService.deletes.stream().anyMatch(d -> d.backupId().equals(backup))).isTrue();
        JsonNode usage = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(usage.get("backups").get("in_use").asInt()).isZero();
        assertThat(usage.get("backup_gigabytes").get("in_use").asInt()).isZero();
    }

    @Test
    void theProgressOfARunningBackupShowsAsBasaltsOwnFieldInTheDetailOnly() {
        String project = TestApi.newProject();
        String volume = createVolumeIn(project, 1);
        api.backupService.hold = true;
        String id;
        try {
            TestApi.Reply r = api.as(project, "POST", "/backups", body(volume, ""));
            assertThat(r.status()).isEqualTo(202);
            id = heldCreate(r.json().get("backup").get("id").asText());
        } finally {
            api.backupService.hold = false;
        }
        assertThat(api.as(project, "GET", "/backups/" + id, null).json().get("backup").get("basalt:progress")
                .isNull()).isTrue();

        assertThat(api.backups.updateProgress(id, 37)).isTrue();
        assertThat(api.as(project, "GET", "/backups/" + id, null).json().get("backup").get("basalt:progress").asText())
                .isEqualTo("37%");
        assertThat(api.as(project, "GET", "/backups/detail", null).json().get("backups").get(0)
                .get("basalt:progress").asText()).isEqualTo("37%");
        assertThat(names(api.as(project, "GET", "/backups", null).json().get("backups").get(0))).isEqualTo(SUMMARY);
    }

    /** A backup the stand-in backup service received but left {@code creating}, on no host. */
    static String heldBackup(String volume) {
        api.backupService.hold = true;
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups"), body(volume, ""));
            assertThat(r.status()).isEqualTo(202);
            return heldCreate(r.json().get("backup").get("id").asText());
        } finally {
            api.backupService.hold = false;
        }
    }

    /** Waits until the held backup service got the (asynchronous) create cast, so it stays {@code creating}. */
    private static String heldCreate(String backupId) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.backupService.creates.stream()
                .anyMatch(create -> create.backupId().equals(backupId)));
        return backupId;
    }

    @Test
    void aForcedBackupOfAnInUseVolumeTakesItBackingUpThenInUseStillAttached() {
        String volume = api.availableVolume("attached", 1);
        api.volumes.resetStatus(volume, VolumeStatus.IN_USE, AttachStatus.ATTACHED);
        api.backupService.hold = true;
        String held;
        try {
            TestApi.Reply r = api.post(TestApi.p("/backups"), body(volume, "\"force\": true"));
            assertThat(r.status()).isEqualTo(202);
            held = heldCreate(r.json().get("backup").get("id").asText());
        } finally {
            api.backupService.hold = false;
        }
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.BACKING_UP);
        assertThat(api.volume(volume).attachStatus()).isEqualTo(AttachStatus.ATTACHED);
        // No backup service took it: a forced delete gives the volume back to its instance.
        assertThat(api.post(TestApi.p("/backups/" + held + "/action"), "{\"os-force_delete\": {}}").status())
                .isEqualTo(202);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.IN_USE);

        TestApi.Reply taken = api.post(TestApi.p("/backups"), body(volume, "\"force\": true"));
        assertThat(taken.status()).isEqualTo(202);
        String backup = taken.json().get("backup").get("id").asText();
        awaitBackup(backup, BackupStatus.AVAILABLE);
        api.awaitStatus(volume, VolumeStatus.IN_USE);
        assertThat(api.backups.find(backup).orElseThrow().volumeId()).isEqualTo(volume);
        assertThat(api.volume(volume).attachStatus()).isEqualTo(AttachStatus.ATTACHED);
    }

    @Test
    void aVolumeCreatedFromABackupAt347IsRestoredByTheBackupService() {
        String source = api.availableVolume("from-backup-src", 2);
        String backup = availableBackup(source, "");
        String volumeBody = "{\"volume\": {\"name\": \"from-backup\", \"backup_id\": \"" + backup + "\"}}";
        TestApi.Reply r = api.post(TestApi.p("/volumes"), volumeBody, "3.47");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String volume = r.json().get("volume").get("id").asText();
        assertThat(r.json().get("volume").get("size").asInt()).as("the backup's size").isEqualTo(2);
        assertThat(r.json().get("volume").has("backup_id")).as("Cinder's volume view has no backup_id").isFalse();
        assertThat(r.json().get("volume").get("status").asText()).as("answered at once, as Cinder")
                .isEqualTo("creating");
        // The cast reaches the scheduler asynchronously on the in-JVM bus.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.scheduled)
                .anySatisfy(m -> {
                    assertThat(m.volumeId()).isEqualTo(volume);
                    assertThat(m.backupId()).isEqualTo(backup);
                }));
        assertThat(api.volumes.find(volume).orElseThrow().adminMetadata())
                .as("recorded so that a create sent again still restores it")
                .containsEntry(dev.basalt.model.Volume.FROM_BACKUP_ID, backup);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.backupService.restores)
                .anySatisfy(restore -> {
                    assertThat(restore.backupId()).isEqualTo(backup);
                    assertThat(restore.volumeId()).isEqualTo(volume);
                    assertThat(restore.freshVolume()).isTrue();
                }));
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        assertThat(api.volume(volume).name()).isEqualTo("from-backup");
        assertThat(api.get(TestApi.p("/volumes/" + volume)).json().get("volume").get("metadata").size())
                .as("the backup's id is no user metadata").isZero();
        awaitBackup(backup, BackupStatus.AVAILABLE);

        TestApi.Reply smaller = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"backup_id\": \""
                + backup + "\"}}", "3.47");
        assertThat(smaller.status()).isEqualTo(400);
        assertThat(smaller.faultMessage()).isEqualTo("Invalid input received: Volume size 1GB cannot be smaller than"
                + " the backup size 2GB. It must be >= backup size.");
        long volumesBefore = api.volumes.summary(TestApi.PROJECT).count();
        api.quotas.setProjectLimits(TestApi.PROJECT, Map.of("volumes", (int) volumesBefore));
        try {
            TestApi.Reply overQuota = api.post(TestApi.p("/volumes"), volumeBody, "3.47");
            assertThat(overQuota.status()).as(overQuota.text()).isEqualTo(413);
            assertThat(api.volumes.summary(TestApi.PROJECT).count()).as("nothing left behind").isEqualTo(volumesBefore);
            assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
        } finally {
            api.quotas.deleteProjectLimits(TestApi.PROJECT);
        }
        TestApi.Reply before347 = api.post(TestApi.p("/volumes"), volumeBody, "3.46");
        assertThat(before347.status()).isEqualTo(400);
        TestApi.Reply unknown = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"backup_id\": \"9a3c1a56-0000-4000-8000-000000000000\"}}", "3.47");
        assertThat(unknown.status()).isEqualTo(404);
        String held = heldBackup(source);
        TestApi.Reply notAvailable = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"backup_id\": \"" + held + "\"}}", "3.47");
        assertThat(notAvailable.status()).isEqualTo(400);
        assertThat(notAvailable.faultMessage()).isEqualTo("Invalid backup: Originating backup status must be one of"
                + " 'available' values");
    }

    @Test
    void onlyForceDeletesABackupThatIsNotAvailableOrError() {
        String volume = api.availableVolume("held", 1);
        String backup = heldBackup(volume);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.BACKING_UP);
        TestApi.Reply r = api.delete(TestApi.p("/backups/" + backup));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid backup: Backup status must be available or error");
        // No backup service took it (no host): a forced delete removes the row at once and frees the volume.
        TestApi.Reply forced = api.post(TestApi.p("/backups/" + backup + "/action"), "{\"os-force_delete\": {}}");
        assertThat(forced.status()).isEqualTo(202);
        assertThat(api.backups.find(backup)).isEmpty();
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void anErrorBackupThatNoBackupServiceTookIsDeletedAtOnce() {
        String volume = api.availableVolume("errored", 1);
        String backup = heldBackup(volume);
        api.backups.fail(backup, Set.of(BackupStatus.CREATING), BackupStatus.ERROR, "no backup service");
        int deletesBefore = api.backupService.deletes.size();
        assertThat(api.delete(TestApi.p("/backups/" + backup)).status()).isEqualTo(202);
        assertThat(api.backups.find(backup)).isEmpty();
        assertThat(api.backupService.deletes).hasSize(deletesBefore);
    }

    @Test
    void updatesNameDescriptionFrom39AndMetadataFrom343() {
        String volume = api.availableVolume("upd", 1);
        String backup = availableBackup(volume, "\"name\": \"before\"");
        assertThat(api.put(TestApi.p("/backups/" + backup), "{\"backup\": {\"name\": \"x\"}}", "3.8").status())
                .isEqualTo(404);
        TestApi.Reply r = api.put(TestApi.p("/backups/" + backup), "{\"backup\": {\"name\": \"after\", \"description\":"
                + " \"d\"}}", "3.9");
        assertThat(r.status()).isEqualTo(200);
        assertThat(names(r.json().get("backup"))).isEqualTo(SUMMARY);
        assertThat(r.json().get("backup").get("name").asText()).isEqualTo("after");
        assertThat(api.backups.find(backup).orElseThrow().description()).isEqualTo("d");
        assertThat(api.put(TestApi.p("/backups/" + backup), "{\"backup\": {\"metadata\": {\"a\": \"b\"}}}", "3.42")
                .status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/backups/" + backup), "{\"backup\": {\"metadata\": {\"a\": \"b\"}}}", "3.43")
                .status()).isEqualTo(200);
        Backup row = api.backups.find(backup).orElseThrow();
        assertThat(row.metadata()).isEqualTo(Map.of("a", "b"));
        assertThat(row.name()).isEqualTo("after");
    }

    @Test
    void resetStatusSetsAvailableOrErrorOnly() {
        String volume = api.availableVolume("reset", 1);
        String backup = availableBackup(volume, "");
        String path = TestApi.p("/backups/" + backup + "/action");
        assertThat(api.post(path, "{\"os-reset_status\": {\"status\": \"Error\"}}").status()).isEqualTo(202);
        assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.ERROR);
        assertThat(api.post(path, "{\"os-reset_status\": {\"status\": \"creating\"}}").status()).isEqualTo(400);
        assertThat(api.post(path, "{\"os-unknown\": {}}").status()).isEqualTo(400);
        assertThat(api.post(path, "{\"os-reset_status\": {\"status\": \"available\"}}").status()).isEqualTo(202);
        assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
    }

    @Test
    void exportedRecordsImportBackAsTheSameBackup() {
        String volume = api.availableVolume("exported", 2);
        String backup = availableBackup(volume, "\"name\": \"rec\", \"description\": \"desc\", \"metadata\": {\"m\":"
                + " \"1\"}");
        TestApi.Reply exported = api.get(TestApi.p("/backups/" + backup + "/export_record"));
        assertThat(exported.status()).isEqualTo(200);
        assertThat(names(exported.json())).containsExactly("backup-record");
        JsonNode record = exported.json().get("backup-record");
        assertThat(names(record)).containsExactlyInAnyOrder("backup_service", "backup_url");
        assertThat(record.get("backup_service").asText()).isEqualTo(BackupServiceDouble.DRIVER);
        String importBody = "{\"backup-record\": " + record + "}";

        TestApi.Reply exists = api.post(TestApi.p("/backups/import_record"), importBody);
        assertThat(exists.status()).isEqualTo(400);
        assertThat(exists.faultMessage()).isEqualTo("Invalid backup: Backup " + backup + " already exists in"
                + " database.");

        api.backups.delete(backup);
        String project = TestApi.newProject();
        TestApi.Reply imported = api.call("POST", "/v3/" + project + "/backups/import_record")
                .token("admin:" + project).body(importBody).send();
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        assertThat(names(imported.json().get("backup"))).isEqualTo(SUMMARY);
        assertThat(imported.json().get("backup").get("id").asText()).isEqualTo(backup);
        assertThat(imported.json().get("backup").get("name").asText()).isEqualTo("rec");
        awaitBackup(backup, BackupStatus.AVAILABLE);
        Backup row = api.backups.find(backup).orElseThrow();
        assertThat(row.projectId()).isEqualTo(project);
        assertThat(row.volumeId()).isEqualTo(volume);
        assertThat(row.size()).isEqualTo(2);
        assertThat(row.description()).isEqualTo("desc");
        assertThat(row.metadata()).isEqualTo(Map.of("m", "1"));
        assertThat(api.backupService.imports.stream().anyMatch(i -> i.backupId().equals(backup)
                && i.backupService().equals(BackupServiceDouble.DRIVER))).isTrue();

        String notARecord = Base64.getEncoder().encodeToString("{\"hello\": 1}".getBytes());
        TestApi.Reply malformed = api.post(TestApi.p("/backups/import_record"), "{\"backup-record\": {"
                + "\"backup_service\": \"x\", \"backup_url\": \"" + notARecord + "\"}}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.faultMessage()).startsWith("Invalid input received: Can't parse backup record");
        assertThat(api.post(TestApi.p("/backups/import_record"), "{\"backup-record\": {\"backup_service\": \"x\"}}")
                .status()).isEqualTo(400);
    }

    @Test
    void exportNeedsAnAvailableBackup() {
        String volume = api.availableVolume("noexport", 1);
        String backup = availableBackup(volume, "");
        api.backups.resetStatus(backup, BackupStatus.ERROR);
        TestApi.Reply r = api.get(TestApi.p("/backups/" + backup + "/export_record"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid backup: Backup status must be available and not error.");
    }
}
