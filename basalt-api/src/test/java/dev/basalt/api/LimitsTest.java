package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /limits}: absolute limits with what is in use, no rate limits; another project's for admins from 3.39. */
class LimitsTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void showsTheProjectsLimitsAndWhatItUses() {
        String project = TestApi.newProject();
        api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes\": 4, \"backups\": -1}}");
        String id = api.createVolumeIn(project, 3);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);

        TestApi.Reply r = api.as(project, "GET", "/limits", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode limits = r.json().get("limits");
        assertThat(limits.get("rate").isArray()).isTrue();
        assertThat(limits.get("rate")).isEmpty();
        JsonNode absolute = limits.get("absolute");
        assertThat(TestApi.fieldNames(absolute)).containsExactlyInAnyOrder("maxTotalVolumes", "maxTotalSnapshots",
                "maxTotalVolumeGigabytes", "maxTotalBackups", "maxTotalBackupGigabytes", "totalVolumesUsed",
                "totalSnapshotsUsed", "totalGigabytesUsed", "totalBackupsUsed", "totalBackupGigabytesUsed");
        assertThat(absolute.get("maxTotalVolumes").asInt()).isEqualTo(4);
        assertThat(absolute.get("maxTotalBackups").asInt()).isEqualTo(-1);
        assertThat(absolute.get("maxTotalVolumeGigabytes").asInt()).isEqualTo(1000);
        assertThat(absolute.get("maxTotalSnapshots").asInt()).isEqualTo(10);
        assertThat(absolute.get("maxTotalBackupGigabytes").asInt()).isEqualTo(1000);
        assertThat(absolute.get("totalVolumesUsed").asInt()).isEqualTo(1);
        assertThat(absolute.get("totalGigabytesUsed").asInt()).isEqualTo(3);
        assertThat(absolute.get("totalSnapshotsUsed").asInt()).isZero();
        assertThat(absolute.get("totalBackupsUsed").asInt()).isZero();
        assertThat(absolute.get("totalBackupGigabytesUsed").asInt()).isZero();
        assertThat(api.get("/v3/limits", "3.67").json().get("limits").get("absolute").get("maxTotalVolumes").asInt())
                .isEqualTo(10);
    }

    @Test
    void anAdministratorNamesAnotherProjectFrom339() {
        String other = TestApi.newProject();
        api.as(other, "PUT", "/os-quota-sets/" + other, "{\"quota_set\": {\"volumes\": 2}}");
        JsonNode at339 = api.get(TestApi.p("/limits?project_id=" + other), "3.39").json();
        assertThat(at339.get("limits").get("absolute").get("maxTotalVolumes").asInt()).isEqualTo(2);
        JsonNode tenant = api.get(TestApi.p("/limits?tenant_id=" + other), "3.50").json();
        assertThat(tenant.get("limits").get("absolute").get("maxTotalVolumes").asInt()).isEqualTo(2);
        JsonNode at338 = api.get(TestApi.p("/limits?project_id=" + other), "3.38").json();
        assertThat(at338.get("limits").get("absolute").get("maxTotalVolumes").asInt()).as("ignored before 3.39")
                .isEqualTo(10);
    }
}
