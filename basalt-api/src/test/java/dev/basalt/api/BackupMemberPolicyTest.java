package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a project member who is not an administrator may do with backups, and what an administrator may besides. */
class BackupMemberPolicyTest {
    static final String ADMIN = "root:" + TestApi.PROJECT + ":admin";
    static TestApi api;
    static String theirVolume;
    static String theirBackup;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
        theirVolume = api.call("POST", "/v3/otherproject/volumes").token("bob:otherproject")
                .body("{\"volume\": {\"size\": 1}}").send().json().get("volume").get("id").asText();
        api.awaitStatus(theirVolume, VolumeStatus.AVAILABLE);
        theirBackup = api.call("POST", "/v3/otherproject/backups").token("bob:otherproject")
                .body(TestApi.backupBody(theirVolume, "")).send().json().get("backup").get("id").asText();
        api.awaitBackupStatus(theirBackup, BackupStatus.AVAILABLE);
        api.awaitStatus(theirVolume, VolumeStatus.AVAILABLE);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void othersBackupsAreNotFound() {
        assertThat(api.get(TestApi.p("/backups/" + theirBackup)).status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/backups?all_tenants=1")).json().get("backups").toString())
                .doesNotContain(theirBackup);
        assertThat(api.post(TestApi.p("/backups"), TestApi.backupBody(theirVolume, "")).status()).isEqualTo(404);
        assertThat(api.delete(TestApi.p("/backups/" + theirBackup)).status()).isEqualTo(404);
        assertThat(api.post(TestApi.p("/backups/" + theirBackup + "/restore"), "{\"restore\": {}}").status())
                .isEqualTo(404);
    }

    @Test
    void membersSeeNoOwnerFieldsAndCannotUseAdminActions() {
        String volume = api.availableVolume("mine", 1);
        String backup = api.availableBackup(volume, "");
        JsonNode shown = api.get(TestApi.p("/backups/" + backup), "3.56").json().get("backup");
        assertThat(TestApi.fieldNames(shown)).isEqualTo(BackupsTest.with(BackupsTest.DETAIL, "metadata"));
        String action = TestApi.p("/backups/" + backup + "/action");
        assertThat(api.post(action, "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(403);
        assertThat(api.post(action, "{\"os-force_delete\": {}}").status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/backups/" + backup + "/export_record")).status()).isEqualTo(403);
        assertThat(api.post(TestApi.p("/backups/import_record"), "{\"backup-record\": {\"backup_service\": \"x\","
                + " \"backup_url\": \"eA==\"}}").status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/backups?host=test"), "3.31").status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/backups?host=test"), "3.30").status()).isEqualTo(200);
        assertThat(api.backups.find(backup).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
    }

    @Test
    void anAdministratorSeesOwnersRestoresOntoAnotherProjectsVolumeAndForceDeletes() {
        JsonNode shown = api.call("GET", TestApi.p("/backups/" + theirBackup)).token(ADMIN).version("3.56").send()
                .json().get("backup");
        assertThat(shown.get("os-backup-project-attr:project_id").asText()).isEqualTo("otherproject");
        assertThat(shown.get("user_id").asText()).isEqualTo("bob");
        JsonNode all = api.call("GET", TestApi.p("/backups/detail?all_tenants=1&project_id=otherproject"))
                .token(ADMIN).send().json().get("backups");
        assertThat(all).hasSize(1);
        TestApi.Reply restored = api.call("POST", TestApi.p("/backups/" + theirBackup + "/restore")).token(ADMIN)
                .body("{\"restore\": {\"volume_id\": \"" + theirVolume + "\"}}").send();
        assertThat(restored.status()).isEqualTo(202);
        api.awaitStatus(theirVolume, VolumeStatus.AVAILABLE);
        api.awaitBackupStatus(theirBackup, BackupStatus.AVAILABLE);
        TestApi.Reply forced = api.call("POST", TestApi.p("/backups/" + theirBackup + "/action")).token(ADMIN)
                .body("{\"os-force_delete\": {}}").send();
        assertThat(forced.status()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> api.backups.find(theirBackup).isEmpty());
    }
}
