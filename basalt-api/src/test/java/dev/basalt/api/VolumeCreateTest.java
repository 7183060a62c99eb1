package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeCreateTest {
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
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
    void createsRowCastsToSchedulerAndAnswersTheView() {
        TestApi.Reply r = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"name\": \"  data  \", \"description\": \"d\", \"size\": \"2\","
                        + " \"metadata\": {\"k\": \"v\"}}}");
        assertThat(r.status()).isEqualTo(202);
        JsonNode v = r.json().get("volume");
        String id = v.get("id").asText();
        assertThat(v.get("status").asText()).isEqualTo("creating");
        assertThat(v.get("name").asText()).isEqualTo("data");
        assertThat(v.get("size").asInt()).isEqualTo(2);
        assertThat(v.get("bootable").asText()).isEqualTo("false");
        assertThat(v.get("volume_type").asText()).isEqualTo("__DEFAULT__");
        assertThat(v.get("availability_zone").asText()).isEqualTo("nova");
        assertThat(v.get("metadata").get("k").asText()).isEqualTo("v");
        assertThat(v.get("attachments").isArray()).isTrue();
        assertThat(v.get("attachments")).isEmpty();
        assertThat(v.get("user_id").asText()).isEqualTo(TestApi.USER);
        assertThat(v.get("encrypted").asBoolean()).isFalse();
        assertThat(v.get("multiattach").asBoolean()).isFalse();
        assertThat(v.get("updated_at").isNull()).isTrue();
        assertThat(TIMESTAMP.matcher(v.get("created_at").asText()).matches()).isTrue();
        assertThat(v.get("links").get(0).get("href").asText())
                .isEqualTo(api.base + "/v3/" + TestApi.PROJECT + "/volumes/" + id);
        assertThat(v.get("links").get(1).get("href").asText())
                .isEqualTo(api.base + "/" + TestApi.PROJECT + "/volumes/" + id);
        assertThat(v.has("os-vol-host-attr:host")).as("create has no extension attributes").isFalse();

        Volume row = api.volumes.find(id).orElseThrow();
        assertThat(row.projectId()).isEqualTo(TestApi.PROJECT);
        assertThat(row.volumeTypeId()).isEqualTo(api.types.findByName("__DEFAULT__").orElseThrow().id());
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        assertThat(api.scheduled).anyMatch(m -> m.volumeId().equals(id) && m.requestId().equals(r.header(
                "x-openstack-request-id")));
        JsonNode shown = api.get(TestApi.p("/volumes/" + id)).json().get("volume");
        assertThat(shown.get("status").asText()).isEqualTo("available");
        assertThat(shown.get("os-vol-host-attr:host").asText()).isEqualTo(TestApi.BACKEND + "#pool");
        assertThat(shown.get("os-vol-tenant-attr:tenant_id").asText()).isEqualTo(TestApi.PROJECT);
    }

    @Test
    void acceptsTypeByNameOrIdAndTakesMultiattachFromTheType() {
        VolumeType multi = api.types.create("multi", null, true, Map.of("multiattach", "<is> True"));
        String byName = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"multi\"}}");
        String byId = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"" + multi.id() + "\"}}");
        for (String id : new String[] {byName, byId}) {
            Volume row = api.volumes.find(id).orElseThrow();
            assertThat(row.volumeTypeId()).isEqualTo(multi.id());
            assertThat(row.multiattach()).isTrue();
        }
    }

    @Test
    void urlWithoutProjectWorksAndLinksFollowTheUrl() {
        TestApi.Reply r = api.post("/v3/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().get("volume").get("id").asText();
        assertThat(r.json().get("volume").get("links").get(0).get("href").asText())
                .isEqualTo(api.base + "/v3/volumes/" + id);
        assertThat(api.get("/v3/volumes/" + id).status()).isEqualTo(200);
    }

    @Test
    void bareUserTokenMeansProjectIsTheUser() {
        TestApi.Reply r = api.call("POST", "/v3/bob/volumes").token("bob").body("{\"volume\": {\"size\": 1}}").send();
        assertThat(r.status()).isEqualTo(202);
        assertThat(api.volumes.find(r.json().get("volume").get("id").asText()).orElseThrow().projectId())
                .isEqualTo("bob");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "size zero|{\"volume\": {\"size\": 0}}|400|size",
        "size negative|{\"volume\": {\"size\": -1}}|400|size",
        "size abc|{\"volume\": {\"size\": \"abc\"}}|400|size",
        "size string zero|{\"volume\": {\"size\": \"0\"}}|400|size",
        "size 2^40|{\"volume\": {\"size\": 1099511627776}}|400|size",
        "size 2^40 string|{\"volume\": {\"size\": \"1099511627776\"}}|400|size",
        "size float|{\"volume\": {\"size\": 1.5}}|400|size",
        "size missing|{\"volume\": {\"name\": \"x\"}}|400|size",
        "unknown type|{\"volume\": {\"size\": 1, \"volume_type\": \"nope\"}}|404|nope",
        "unknown type id|{\"volume\": {\"size\": 1, \"volume_type\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}|404|6c1e2a37",
        "unknown zone|{\"volume\": {\"size\": 1, \"availability_zone\": \"mars\"}}|400|mars",
        "malformed JSON|{\"volume\": {\"size\": 1|400|Malformed",
        "trailing garbage|{\"volume\": {\"size\": 1}} x|400|Malformed",
        "array body|[1, 2]|400|object",
        "string body|\"volume\"|400|object",
        "no volume key|{\"size\": 1}|400|volume",
        "volume not object|{\"volume\": 5}|400|volume",
        "unknown snapshot|{\"volume\": {\"size\": 1, \"snapshot_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}|404|Snapshot 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found",
        "unknown clone source|{\"volume\": {\"size\": 1, \"source_volid\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}|404|Volume 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found",
        "both sources|{\"volume\": {\"snapshot_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\", \"source_volid\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a2\"}}|400|only one of snapshot, source volume",
        "image source without an Image service|{\"volume\": {\"size\": 1, \"imageRef\": \"cirros\"}}|503|No Image service is configured",
        "multiattach flag|{\"volume\": {\"size\": 1, \"multiattach\": true}}|400|multiattach",
        "bad snapshot uuid|{\"volume\": {\"size\": 1, \"snapshot_id\": \"not-a-uuid\"}}|400|snapshot_id",
        "metadata value too long|{\"volume\": {\"size\": 1, \"metadata\": {\"k\": \"" + "x" + "\"}}}|202|",
        "metadata bad key|{\"volume\": {\"size\": 1, \"metadata\": {\"bad!key\": \"v\"}}}|400|bad!key",
        "metadata not strings|{\"volume\": {\"size\": 1, \"metadata\": {\"k\": 1}}}|400|k",
    })
    void refusesBadInputWithoutLeavingARow(String what, String body, int status, String mentioned) {
        long before = api.volumeCount();
        TestApi.Reply r = api.post(TestApi.p("/volumes"), body);
        assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
        if (status == 202) {
            return;
        }
        assertThat(r.faultMessage()).as(what).contains(mentioned);
        assertThat(api.volumeCount()).as(what + " left no row").isEqualTo(before);
        assertThat(api.get(TestApi.p("/volumes")).status()).as("still serving after " + what).isEqualTo(200);
    }

    @Test
    void refusesLongNamesAndMetadataValues() {
        long before = api.volumeCount();
        TestApi.Reply name = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"size\": 1, \"name\": \"" + "n".repeat(300) + "\"}}");
        assertThat(name.status()).isEqualTo(400);
        assertThat(name.faultMessage()).contains("field/attribute name").contains("255");
        TestApi.Reply value = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"size\": 1, \"metadata\": {\"k\": \"" + "v".repeat(256) + "\"}}}");
        assertThat(value.status()).isEqualTo(400);
        assertThat(value.faultMessage()).contains("field/attribute k");
        TestApi.Reply key = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"size\": 1, \"metadata\": {\"" + "k".repeat(256) + "\": \"v\"}}}");
        assertThat(key.status()).isEqualTo(400);
        assertThat(api.volumeCount()).isEqualTo(before);
    }

    @Test
    void unknownKeysAreIgnoredBefore353AndRefusedFrom353() {
        long before = api.volumeCount();
        TestApi.Reply strict = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"status\": \"x\"}}", "3.53");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.faultMessage()).contains("status");
        assertThat(api.volumeCount()).isEqualTo(before);
        TestApi.Reply lax = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"status\": \"x\"}}", "3.52");
        assertThat(lax.status()).isEqualTo(202);
        assertThat(lax.json().get("volume").get("status").asText()).isEqualTo("creating");
    }

    @Test
    void typeZonesLimitWhereAVolumeMayGo() {
        api.types.create("zoned", null, true, Map.of("RESKEY:availability_zones", "nova, other"));
        api.types.create("elsewhere", null, true, Map.of("RESKEY:availability_zones", "mars"));
        assertThat(api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"volume_type\": \"zoned\"}}").status())
                .isEqualTo(202);
        TestApi.Reply none = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"volume_type\": \"elsewhere\"}}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultMessage()).contains("mars");
    }

    @Test
    void groupIdMustNameAGroupFrom313() {
        TestApi.Reply r = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"size\": 1, \"group_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}", "3.13");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.faultMessage()).isEqualTo("Group 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found.");
        TestApi.Reply old = api.post(TestApi.p("/volumes"),
                "{\"volume\": {\"size\": 1, \"group_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}", "3.12");
        assertThat(old.status()).as("ignored before 3.13").isEqualTo(202);
    }

    @Test
    void requestWithoutTokenIsUnauthorized() {
        long before = api.volumeCount();
        TestApi.Reply r = api.call("POST", TestApi.p("/volumes")).token(null).body("{\"volume\": {\"size\": 1}}").send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.faultName()).isEqualTo("unauthorized");
        assertThat(r.header("x-openstack-request-id")).startsWith("req-");
        assertThat(api.volumeCount()).isEqualTo(before);
    }

    @Test
    void projectInUrlMustMatchTheToken() {
        TestApi.Reply r = api.call("GET", "/v3/0123abcd/volumes").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Malformed request url");
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() {
        TestApi.Reply r = api.call("POST", TestApi.p("/volumes")).contentType("text/plain")
                .body("{\"volume\": {\"size\": 1}}").send();
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.faultName()).isEqualTo("badMediaType");
    }

    @Test
    void oversizedBodyIsRefused() {
        String big = "{\"volume\": {\"size\": 1, \"description\": \"" + "x".repeat(200_000) + "\"}}";
        TestApi.Reply r = api.post(TestApi.p("/volumes"), big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultName()).isEqualTo("overLimit");
    }
}
