package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.model.VolumeStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /os-quota-sets}: show (with usage), defaults, update with Cinder's checks, delete. */
class QuotaSetsTest {
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
    void showsCinderDefaultsForEveryResourceAndType() {
        String project = TestApi.newProject();
        TestApi.Reply r = api.as(project, "GET", "/os-quota-sets/" + project, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode set = r.json().get("quota_set");
        assertThat(set.get("id").asText()).isEqualTo(project);
        assertThat(set.get("volumes").asInt()).isEqualTo(10);
        assertThat(set.get("snapshots").asInt()).isEqualTo(10);
        assertThat(set.get("gigabytes").asInt()).isEqualTo(1000);
        assertThat(set.get("backups").asInt()).isEqualTo(10);
        assertThat(set.get("backup_gigabytes").asInt()).isEqualTo(1000);
        assertThat(set.get("groups").asInt()).isEqualTo(10);
        assertThat(set.get("per_volume_gigabytes").asInt()).isEqualTo(-1);
        assertThat(set.get("volumes___DEFAULT__").asInt()).isEqualTo(-1);
        assertThat(set.get("gigabytes___DEFAULT__").asInt()).isEqualTo(-1);
        assertThat(set.get("snapshots___DEFAULT__").asInt()).isEqualTo(-1);

        JsonNode defaults = api.as(project, "GET", "/os-quota-sets/" + project + "/defaults", null).json()
                .get("quota_set");
        assertThat(defaults).isEqualTo(set);
        assertThat(api.get("/v3/os-quota-sets/" + project, "3.67").json().get("quota_set")).isEqualTo(set);
    }

    @Test
    void usageCountsReservedUntilAvailableThenInUseAndGoesWithTheVolume() {
        String project = TestApi.newProject();
        api.holdScheduling = true;
        String id;
        try {
            id = api.createVolumeIn(project, 3);
            JsonNode pending = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                    .get("quota_set");
            assertThat(pending.get("volumes").toString()).isEqualTo("{\"limit\":10,\"in_use\":0,\"reserved\":1}");
            assertThat(pending.get("gigabytes___DEFAULT__").toString())
                    .isEqualTo("{\"limit\":-1,\"in_use\":0,\"reserved\":3}");
        } finally {
            api.holdScheduling = false;
        }
        api.volumes.place(id, TestApi.BACKEND + "#pool", api.volumeService.uuid());
        api.volumes.markAvailable(id);
        JsonNode used = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=true", null).json()
                .get("quota_set");
        assertThat(used.get("id").asText()).isEqualTo(project);
        assertThat(used.get("volumes").toString()).isEqualTo("{\"limit\":10,\"in_use\":1,\"reserved\":0}");
        assertThat(used.get("gigabytes").toString()).isEqualTo("{\"limit\":1000,\"in_use\":3,\"reserved\":0}");
        assertThat(used.get("volumes___DEFAULT__").get("in_use").asInt()).isEqualTo(1);
        assertThat(used.get("snapshots").toString()).isEqualTo("{\"limit\":10,\"in_use\":0,\"reserved\":0}");

        assertThat(api.as(project, "DELETE", "/volumes/" + id, null).status()).isEqualTo(202);
        org.awaitility.Awaitility.await().until(() -> api.volumes.find(id).isEmpty());
        JsonNode after = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(after.get("volumes").get("in_use").asInt()).isZero();
        assertThat(after.get("gigabytes").get("in_use").asInt()).isZero();

        assertThat(api.as(project, "GET", "/os-quota-sets/" + project + "?usage=False", null).json().get("quota_set")
                .get("volumes").asInt()).isEqualTo(10);
        TestApi.Reply bad = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=maybe", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.faultMessage()).isEqualTo("Value 'maybe' for 'usage' is not a boolean.");
    }

    @Test
    void updateSetsTheGivenLimitsAndAnswersTheWholeSetWithoutId() {
        String project = TestApi.newProject();
        TestApi.Reply r = api.as(project, "PUT", "/os-quota-sets/" + project,
                "{\"quota_set\": {\"tenant_id\": \"" + project + "\", \"volumes\": 5, \"gigabytes\": \"50\","
                        + " \"volumes___DEFAULT__\": 2, \"per_volume_gigabytes\": -1, \"groups\": \" 7 \"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode set = r.json().get("quota_set");
        assertThat(set.has("id")).isFalse();
        assertThat(set.get("volumes").asInt()).isEqualTo(5);
        assertThat(set.get("gigabytes").asInt()).isEqualTo(50);
        assertThat(set.get("groups").asInt()).isEqualTo(7);
        assertThat(set.get("volumes___DEFAULT__").asInt()).isEqualTo(2);
        assertThat(set.get("snapshots").asInt()).isEqualTo(10);

        JsonNode shown = api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set");
        assertThat(shown.get("volumes").asInt()).isEqualTo(5);
        assertThat(api.as(project, "GET", "/os-quota-sets/" + project + "/defaults", null).json().get("quota_set")
                .get("volumes").asInt()).as("defaults stay").isEqualTo(10);

        String other = TestApi.newProject();
        assertThat(api.as(other, "GET", "/os-quota-sets/" + other, null).json().get("quota_set").get("volumes").asInt())
                .as("another project keeps the defaults").isEqualTo(10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"quota_set\": {\"volumes\": -2}}|volumes must be >= -1",
        "{\"quota_set\": {\"gigabytes\": 2147483648}}|gigabytes must be <= 2147483647",
        "{\"quota_set\": {\"volumes\": \"ten\"}}|volumes must be an integer",
        "{\"quota_set\": {\"volumes\": 1.5}}|volumes must be an integer",
        "{\"quota_set\": {\"volumes\": true}}|volumes must be an integer",
        "{\"quota_set\": {\"volumes\": null}}|volumes must be an integer",
        "{\"quota_set\": {\"nope\": 1, \"volumes\": 1, \"volumes_missingtype\": 2}}"
                + "|Invalid input received: Bad key(s) in quota set: nope, volumes_missingtype",
        "{\"quota_set\": {}}|Invalid input for field/attribute quota_set. Value: {}. It must not be empty",
        "{\"volumes\": 1}|'quota_set' is a required property",
        "{\"quota_set\": {\"volumes\": 1}, \"extra\": 1}"
                + "|Additional properties are not allowed ('extra' was unexpected)",
    })
    void updateRefusesWhatCinderRefuses(String body, String message) {
        String project = TestApi.newProject();
        TestApi.Reply r = api.as(project, "PUT", "/os-quota-sets/" + project, body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo(message);
        assertThat(api.quotas.projectLimits(project)).as("nothing was set").isEmpty();
    }

    @Test
    void aLimitBelowWhatIsUsedOrReservedIsRefused() {
        String project = TestApi.newProject();
        api.createVolumeIn(project, 2);
        api.createVolumeIn(project, 2);
        TestApi.Reply r = api.as(project, "PUT", "/os-quota-sets/" + project,
                "{\"quota_set\": {\"snapshots\": 3, \"volumes\": 1}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Quota volumes limit must be equal or greater than existing"
                + " resources. Current usage is 2 and the requested limit is 1.");
        assertThat(api.quotas.projectLimits(project)).as("all or nothing").isEmpty();

        TestApi.Reply gb = api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {\"gigabytes\": 3}}");
        assertThat(gb.faultMessage()).isEqualTo("Quota gigabytes limit must be equal or greater than existing"
                + " resources. Current usage is 4 and the requested limit is 3.");
        assertThat(api.as(project, "PUT", "/os-quota-sets/" + project,
                "{\"quota_set\": {\"volumes\": 2, \"gigabytes\": -1, \"per_volume_gigabytes\": 1}}").status())
                .isEqualTo(200);
    }

    @Test
    void deleteResetsToTheDefaults() {
        String project = TestApi.newProject();
        api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes\": 3}}");
        TestApi.Reply r = api.as(project, "DELETE", "/os-quota-sets/" + project, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEmpty();
        assertThat(api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set").get("volumes")
                .asInt()).isEqualTo(10);
        assertThat(api.as(project, "DELETE", "/os-quota-sets/" + project, null).status()).as("idempotent")
                .isEqualTo(200);
    }

    @Test
    void anAdministratorManagesAnotherProjectsQuotas() {
        String target = TestApi.newProject();
        assertThat(api.put(TestApi.p("/os-quota-sets/" + target), "{\"quota_set\": {\"volumes\": 4}}").status())
                .isEqualTo(200);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + target)).json().get("quota_set").get("volumes").asInt())
                .isEqualTo(4);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT)).json().get("quota_set").get("volumes")
                .asInt()).isEqualTo(10);
        TestApi.Reply tooLong = api.put(TestApi.p("/os-quota-sets/" + "x".repeat(256)),
                "{\"quota_set\": {\"volumes\": 4}}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.faultMessage()).isEqualTo("Invalid input received: quota_set_name has 256 characters,"
                + " more than 255.");
    }

    @Test
    void aTypeRenameCarriesItsQuotaAlong() {
        String project = TestApi.newProject();
        String name = "t" + Ids.newId().substring(0, 8);
        String typeId = api.types.create(name, null, true, Map.of()).id();
        api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes_" + name + "\": 3}}");
        String renamed = name + "x";
        assertThat(api.put(TestApi.p("/types/" + typeId), "{\"volume_type\": {\"name\": \"" + renamed + "\"}}")
                .status()).isEqualTo(200);
        JsonNode set = api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set");
        assertThat(set.get("volumes_" + renamed).asInt()).isEqualTo(3);
        assertThat(set.has("volumes_" + name)).isFalse();
        assertThat(api.delete(TestApi.p("/types/" + typeId)).status()).isEqualTo(202);
        assertThat(api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set")
                .has("volumes_" + renamed)).isFalse();
    }

    @Test
    void aFailedCreateIsCountedNowhere() {
        String project = TestApi.newProject();
        api.failScheduling = true;
        String id;
        try {
            id = api.createVolumeIn(project, 4);
            api.awaitStatus(id, VolumeStatus.ERROR);
        } finally {
            api.failScheduling = false;
        }
        JsonNode set = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(set.get("volumes").toString()).isEqualTo("{\"limit\":10,\"in_use\":0,\"reserved\":0}");
        assertThat(set.get("gigabytes").toString()).isEqualTo("{\"limit\":1000,\"in_use\":0,\"reserved\":0}");
    }
}
