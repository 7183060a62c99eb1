package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.VolumeImageMetadata;

import dev.basalt.model.VolumeStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code os-show_image_metadata}, {@code os-set_image_metadata}, {@code os-unset_image_metadata} for
 * each persona (reader, member, administrator, another project), and the {@code glance_metadata}
 * filter of {@code /volumes} and {@code /volumes/detail}.
 */
class VolumeImageMetadataTest {
    static final String READER = TestApi.USER + ":" + TestApi.PROJECT + ":reader";
    static final String ADMIN = "root:" + TestApi.PROJECT + ":admin";
    static final String STRANGER = "bob:otherproject";
    static TestApi api;
    static VolumeImageMetadata images;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS,
                new QuotaSettings(-1, -1, -1, -1, -1, -1, -1, true));
        images = new VolumeImageMetadata(api.db);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** An available volume of the caller's project made, as far as the database knows, from an image. */
    private static String fromImage(String name, Map<String, String> metadata) {
        String id = api.availableVolume(name, 1);
        assertThat(images.recordBootableImage(id, metadata)).isTrue();
        return id;
    }

    private static TestApi.Reply action(String id, String token, String body) {
        return api.call("POST", TestApi.p("/volumes/" + id + "/action")).token(token).body(body).send();
    }

    private static TestApi.Reply show(String id, String token) {
        return action(id, token, "{\"os-show_image_metadata\": null}");
    }

    private static TestApi.Reply set(String id, String token, String metadata) {
        return action(id, token, "{\"os-set_image_metadata\": {\"metadata\": " + metadata + "}}");
    }

    private static TestApi.Reply unset(String id, String token, String key) {
        return action(id, token, "{\"os-unset_image_metadata\": {\"key\": \"" + key + "\"}}");
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    @Test
    void showAnswersTheImageMetadata() {
        String id = fromImage("shown", Map.of("image_id", "i-1", "image_name", "debian", "min_disk", "0"));
        TestApi.Reply r = show(id, TestApi.TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(map(r.json().get("metadata")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("image_id", "i-1", "image_name", "debian", "min_disk", "0"));
    }

    @Test
    void aVolumeWithoutImageMetadataHasNoneToShowOrRemove() {
        String id = api.availableVolume("plain", 1);
        TestApi.Reply shown = show(id, TestApi.TOKEN);
        assertThat(shown.status()).isEqualTo(404);
        assertThat(shown.faultMessage()).isEqualTo("Glance metadata for volume/snapshot " + id + " cannot be found.");
        TestApi.Reply removed = unset(id, TestApi.TOKEN, "image_name");
        assertThat(removed.status()).isEqualTo(404);
        assertThat(removed.faultMessage()).isEqualTo("Glance metadata for volume/snapshot " + id + " cannot be found.");
    }

    @Test
    void setAddsAndOverwritesKeysAndAnswersTheWholeImageMetadata() {
        String id = fromImage("set", Map.of("image_id", "i-2", "image_name", "debian"));
        TestApi.Reply r = set(id, TestApi.TOKEN, "{\"image_name\": \"trixie\", \"hw_disk_bus\": \"scsi\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(map(r.json().get("metadata"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("image_id", "i-2", "image_name", "trixie", "hw_disk_bus", "scsi"));
        assertThat(map(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("volume_image_metadata")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("image_id", "i-2", "image_name", "trixie",
                        "hw_disk_bus", "scsi"));
        TestApi.Reply none = set(id, TestApi.TOKEN, "{}");
        assertThat(none.status()).isEqualTo(200);
        assertThat(map(none.json().get("metadata"))).hasSize(3);
    }

    @Test
    void setGivesImageMetadataToAVolumeThatHadNone() {
        String id = api.availableVolume("plain-set", 1);
        TestApi.Reply r = set(id, TestApi.TOKEN, "{\"os_type\": \"linux\", \"a b/c:d.e-f_g\": \"\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(map(r.json().get("metadata")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("os_type", "linux", "a b/c:d.e-f_g", ""));
        assertThat(map(show(id, TestApi.TOKEN).json().get("metadata"))).containsEntry("os_type", "linux");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no metadata|{\"os-set_image_metadata\": {}}",
        "metadata not an object|{\"os-set_image_metadata\": {\"metadata\": [\"k\"]}}",
        "a number as value|{\"os-set_image_metadata\": {\"metadata\": {\"k\": 1}}}",
        "null as value|{\"os-set_image_metadata\": {\"metadata\": {\"k\": null}}}",
        "a key with a character Cinder refuses|{\"os-set_image_metadata\": {\"metadata\": {\"k@x\": \"v\"}}}",
        "an empty key|{\"os-set_image_metadata\": {\"metadata\": {\"\": \"v\"}}}",
        "something besides metadata|{\"os-set_image_metadata\": {\"metadata\": {}, \"force\": true}}",
        "no key to unset|{\"os-unset_image_metadata\": {}}",
        "an empty key to unset|{\"os-unset_image_metadata\": {\"key\": \"\"}}",
        "a key to unset that is no string|{\"os-unset_image_metadata\": {\"key\": 5}}",
        "something besides the key|{\"os-unset_image_metadata\": {\"key\": \"k\", \"all\": true}}",
    })
    void malformedBodiesAreRefusedAndChangeNothing(String what, String body) {
        String id = fromImage("bad-" + what.replace(' ', '-'), Map.of("image_name", "debian"));
        TestApi.Reply r = action(id, TestApi.TOKEN, body);
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.faultMessage()).startsWith("Invalid input for field/attribute");
        assertThat(images.of(id)).containsExactly(Map.entry("image_name", "debian"));
    }

    @Test
    void tooLongKeysAndValuesAreRefused() {
        String id = fromImage("long", Map.of("image_name", "debian"));
        String longText = "x".repeat(256);
        assertThat(set(id, TestApi.TOKEN, "{\"" + longText + "\": \"v\"}").status()).isEqualTo(400);
        assertThat(set(id, TestApi.TOKEN, "{\"k\": \"" + longText + "\"}").status()).isEqualTo(400);
        assertThat(unset(id, TestApi.TOKEN, longText).status()).isEqualTo(400);
        assertThat(set(id, TestApi.TOKEN, "{\"" + "k".repeat(255) + "\": \"" + "v".repeat(255) + "\"}").status())
                .isEqualTo(200);
    }

    @Test
    void unsetRemovesOneKey() {
        String id = fromImage("unset", Map.of("image_id", "i-3", "image_name", "debian"));
        TestApi.Reply r = unset(id, TestApi.TOKEN, "image_name");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEmpty();
        assertThat(images.of(id)).containsExactly(Map.entry("image_id", "i-3"));
        TestApi.Reply again = unset(id, TestApi.TOKEN, "image_name");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.faultMessage()).isEqualTo("Glance metadata for volume/snapshot " + id + " cannot be found.");
        assertThat(unset(id, TestApi.TOKEN, "image_id").status()).isEqualTo(200);
        assertThat(show(id, TestApi.TOKEN).status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").has("volume_image_metadata")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"maintenance", "uploading"})
    void nothingChangesWhileTheVolumeIsInMaintenanceOrUploading(String status) {
        String id = fromImage("frozen-" + status, Map.of("image_name", "debian"));
        api.volumes.resetStatus(id, VolumeStatus.fromApiName(status).orElseThrow(), null);
        TestApi.Reply setting = set(id, TestApi.TOKEN, "{\"image_name\": \"other\"}");
        assertThat(setting.status()).isEqualTo(400);
        assertThat(setting.faultMessage()).isEqualTo("Invalid volume: Updating volume metadata is not allowed for"
                + " volumes in " + status + " status.");
        TestApi.Reply unsetting = unset(id, TestApi.TOKEN, "image_name");
        assertThat(unsetting.status()).isEqualTo(400);
        assertThat(unsetting.faultMessage()).isEqualTo("Invalid volume: Deleting volume metadata is not allowed for"
                + " volumes in " + status + " status.");
        assertThat(unset(id, TestApi.TOKEN, "no-such-key").status()).as("an unknown key is a 404 first")
                .isEqualTo(404);
        assertThat(show(id, TestApi.TOKEN).status()).isEqualTo(200);
        assertThat(images.of(id)).containsExactly(Map.entry("image_name", "debian"));
    }

    @Test
    void readersShowButNeitherSetNorUnset() {
        String id = fromImage("read", Map.of("image_name", "debian"));
        assertThat(show(id, READER).status()).isEqualTo(200);
        TestApi.Reply setting = set(id, READER, "{\"k\": \"v\"}");
        assertThat(setting.status()).isEqualTo(403);
        assertThat(setting.json().has("forbidden")).isTrue();
        assertThat(unset(id, READER, "image_name").status()).isEqualTo(403);
        assertThat(images.of(id)).containsExactly(Map.entry("image_name", "debian"));
        assertThat(api.call("GET", TestApi.p("/volumes/" + id)).token(READER).send().json().get("volume")
                .get("volume_image_metadata").get("image_name").asText()).isEqualTo("debian");
    }

    @Test
    void anotherProjectsVolumeIsNotFoundForMembersButAnAdministratorChangesIt() {
        String theirs = api.call("POST", "/v3/otherproject/volumes").token(STRANGER)
                .body("{\"volume\": {\"size\": 1, \"name\": \"theirs\"}}").send().json().get("volume").get("id")
                .asText();
        api.awaitStatus(theirs, VolumeStatus.AVAILABLE);
        images.recordBootableImage(theirs, Map.of("image_name", "debian"));
        for (TestApi.Reply r : List.of(show(theirs, TestApi.TOKEN), set(theirs, TestApi.TOKEN, "{\"k\": \"v\"}"),
                unset(theirs, TestApi.TOKEN, "image_name"), show(theirs, READER))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.faultMessage()).isEqualTo("Volume " + theirs + " could not be found.");
        }
        TestApi.Reply byAdmin = set(theirs, ADMIN, "{\"k\": \"v\"}");
        assertThat(byAdmin.status()).as(byAdmin.text()).isEqualTo(200);
        assertThat(unset(theirs, ADMIN, "image_name").status()).isEqualTo(200);
        assertThat(map(show(theirs, ADMIN).json().get("metadata"))).containsExactly(Map.entry("k", "v"));
        TestApi.Reply byOwner = api.call("POST", "/v3/otherproject/volumes/" + theirs + "/action").token(STRANGER)
                .body("{\"os-show_image_metadata\": {}}").send();
        assertThat(byOwner.status()).isEqualTo(200);
        assertThat(map(byOwner.json().get("metadata"))).containsExactly(Map.entry("k", "v"));
    }

    private static List<String> listed(String path, String filter, String version, String token) {
        String query = filter == null ? "" : "?glance_metadata=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
        TestApi.Reply r = api.call("GET", TestApi.p(path) + query).token(token).version(version).send();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("volumes").forEach(v -> ids.add(v.get("id").asText()));
        return ids;
    }

    @Test
    void administratorsListVolumesByTheirImageMetadata() {
        String debian = fromImage("by-image-debian", Map.of("image_name", "filter-debian", "min_disk", "2"));
        String other = fromImage("by-image-other", Map.of("image_name", "filter-other", "min_disk", "2"));
        String plain = api.availableVolume("by-image-plain", 1);
        for (String path : List.of("/volumes", "/volumes/detail")) {
            assertThat(listed(path, "{'image_name': 'filter-debian'}", "3.4", ADMIN)).containsExactly(debian);
            assertThat(listed(path, "{\"image_name\": \"filter-debian\"}", "3.70", ADMIN)).containsExactly(debian);
            assertThat(listed(path, "{'image_name': 'filter-debian', 'min_disk': 2}", "3.70", ADMIN))
                    .containsExactly(debian);
            assertThat(listed(path, "{'image_name': 'filter-debian', 'min_disk': '3'}", "3.70", ADMIN)).isEmpty();
            assertThat(listed(path, "{'min_disk': '2'}", "3.70", ADMIN)).contains(debian, other)
                    .doesNotContain(plain);
            assertThat(listed(path, "{}", "3.70", ADMIN)).contains(debian, other, plain);
            assertThat(listed(path, "filter-debian", "3.70", ADMIN)).as("not a dict: matches nothing").isEmpty();
            assertThat(listed(path, "{'image_name': 'filter-debian'}", "3.3", ADMIN))
                    .as("ignored before 3.4").contains(debian, other, plain);
        }
    }

    @Test
    void membersMayNotFilterOnImageMetadata() {
        String debian = fromImage("member-filter", Map.of("image_name", "member-debian"));
        TestApi.Reply refused = api.call("GET", TestApi.p("/volumes/detail?glance_metadata="
                + URLEncoder.encode("{'image_name': 'member-debian'}", StandardCharsets.UTF_8))).version("3.31").send();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.faultMessage()).isEqualTo("Invalid filters glance_metadata are found in query options.");
        assertThat(listed("/volumes/detail", "{'image_name': 'nothing-like-it'}", "3.30", TestApi.TOKEN))
                .as("dropped before 3.31").contains(debian);
    }
}
