package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /os-quota-class-sets}: the {@code default} class over configuration, show and update with Cinder's checks. */
class QuotaClassSetsTest {
    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi(TestApi.settings(1000), null, new QuotaSettings(7, 8, 700, 9, 900, 6, 50, true));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theDefaultClassShowsTheConfiguredDefaults() {
        TestApi.Reply r = api.get(TestApi.p("/os-quota-class-sets/default"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode set = r.json().get("quota_class_set");
        assertThat(set.get("id").asText()).isEqualTo("default");
        assertThat(set.get("volumes").asInt()).isEqualTo(7);
        assertThat(set.get("snapshots").asInt()).isEqualTo(8);
        assertThat(set.get("gigabytes").asInt()).isEqualTo(700);
        assertThat(set.get("backups").asInt()).isEqualTo(9);
        assertThat(set.get("backup_gigabytes").asInt()).isEqualTo(900);
        assertThat(set.get("groups").asInt()).isEqualTo(6);
        assertThat(set.get("per_volume_gigabytes").asInt()).isEqualTo(50);
        assertThat(set.get("volumes___DEFAULT__").asInt()).isEqualTo(-1);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT + "/defaults")).json().get("quota_set")
                .get("gigabytes").asInt()).isEqualTo(700);
    }

    @Test
    void updatingTheDefaultClassChangesEveryProjectsDefaults() {
        TestApi.Reply r = api.put(TestApi.p("/os-quota-class-sets/default"),
                "{\"quota_class_set\": {\"volumes\": 3, \"gigabytes\": \"30\", \"volumes___DEFAULT__\": -1}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode set = r.json().get("quota_class_set");
        assertThat(set.has("id")).isFalse();
        assertThat(set.get("volumes").asInt()).isEqualTo(3);
        assertThat(set.get("gigabytes").asInt()).isEqualTo(30);
        assertThat(set.get("snapshots").asInt()).isEqualTo(8);

        String project = TestApi.newProject();
        JsonNode projectSet = api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set");
        assertThat(projectSet.get("volumes").asInt()).isEqualTo(3);
        assertThat(api.as(project, "GET", "/os-quota-sets/" + project + "/defaults", null).json().get("quota_set")
                .get("gigabytes").asInt()).isEqualTo(30);
        api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes\": 5}}");
        assertThat(api.as(project, "GET", "/os-quota-sets/" + project, null).json().get("quota_set").get("volumes")
                .asInt()).as("a project's own limit wins").isEqualTo(5);

        api.createVolumeIn(TestApi.PROJECT, 1);
        api.createVolumeIn(TestApi.PROJECT, 1);
        api.createVolumeIn(TestApi.PROJECT, 1);
        TestApi.Reply fourth = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}");
        assertThat(fourth.status()).isEqualTo(413);
        assertThat(fourth.faultMessage()).contains("allowed (3)");
    }

    @Test
    void anotherClassFallsBackToTheDefaultsForWhatItDoesNotSet() {
        api.put(TestApi.p("/os-quota-class-sets/default"), "{\"quota_class_set\": {\"snapshots\": 4}}");
        assertThat(api.put(TestApi.p("/os-quota-class-sets/gold"), "{\"quota_class_set\": {\"volumes\": 100}}")
                .status()).isEqualTo(200);
        JsonNode gold = api.get(TestApi.p("/os-quota-class-sets/gold")).json().get("quota_class_set");
        assertThat(gold.get("id").asText()).isEqualTo("gold");
        assertThat(gold.get("volumes").asInt()).isEqualTo(100);
        assertThat(gold.get("snapshots").asInt()).isEqualTo(4);
        assertThat(gold.get("gigabytes").asInt()).isEqualTo(700);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT)).json().get("quota_set").get("volumes")
                .asInt()).as("only the default class gives defaults").isEqualTo(7);
    }

    @Test
    void withoutTheDefaultClassConfigurationAloneGivesTheDefaults() {
        api.close();
        api = new TestApi(TestApi.settings(1000), null, new QuotaSettings(7, 8, 700, 9, 900, 6, 50, false));
        api.put(TestApi.p("/os-quota-class-sets/default"), "{\"quota_class_set\": {\"volumes\": 1}}");
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT)).json().get("quota_set").get("volumes")
                .asInt()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"quota_class_set\": {\"volumes\": 1, \"nope\": 2, \"tenant_id\": \"x\"}}"
                + "|Invalid input received: Bad key(s) in quota class set: nope, tenant_id",
        "{\"quota_class_set\": {\"volumes\": -2}}"
                + "|Invalid input for field/attribute volumes. Value: -2. -2 is less than the minimum of -1",
        "{\"quota_class_set\": {\"volumes\": \"-1\"}}"
                + "|Invalid input for field/attribute volumes. Value: -1. '-1' does not match '^[0-9]*$'",
        "{\"quota_class_set\": {\"volumes\": 2147483648}}"
                + "|Invalid input for field/attribute volumes. Value: 2147483648. 2147483648 is greater than the"
                + " maximum of 2147483647",
        "{\"quota_class_set\": {\"volumes\": \"99999999999\"}}|volumes must be <= 2147483647",
        "{\"quota_class_set\": {\"volumes\": 1.5}}"
                + "|Invalid input for field/attribute volumes. Value: 1.5. 1.5 is not of type 'integer', 'string'",
        "{\"volumes\": 1}|'quota_class_set' is a required property",
    })
    void updateRefusesWhatCinderRefuses(String body, String message) {
        TestApi.Reply r = api.put(TestApi.p("/os-quota-class-sets/default"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo(message);
        assertThat(api.quotas.classLimits("default")).isEmpty();
    }
}
