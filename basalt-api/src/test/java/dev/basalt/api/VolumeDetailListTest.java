package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A detailed list shows each volume exactly as showing it alone does, whoever asks, at whatever
 * version, and whatever changed since the last list: its row, its metadata, its admin metadata,
 * its type's name.
 */
class VolumeDetailListTest {
    static final String MEMBER = TestApi.TOKEN;
    static final String ADMIN = TestApi.TOKEN + ":admin";
    static final List<String> VERSIONS = List.of("3.0", "3.48", "3.70");
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode listed(String id, String token, String version) {
        TestApi.Reply r = api.call("GET", TestApi.p("/volumes/detail")).token(token).version(version).send();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (JsonNode v : r.json().get("volumes")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        throw new AssertionError("volume " + id + " is not listed: " + r.text());
    }

    private static JsonNode shown(String id, String token, String version) {
        TestApi.Reply r = api.call("GET", TestApi.p("/volumes/" + id)).token(token).version(version).send();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("volume");
    }

    private static void listedAsShown(String id, String after) {
        for (String token : List.of(MEMBER, ADMIN, MEMBER)) {
            for (String version : VERSIONS) {
                assertThat(listed(id, token, version)).as("%s, %s at %s", after, token, version)
                        .isEqualTo(shown(id, token, version));
            }
        }
    }

    private static void send(String method, String path, String body, String token) {
        TestApi.Reply r = api.call(method, TestApi.p(path)).token(token).body(body).send();
        assertThat(r.status()).as(r.text()).isBetween(200, 202);
    }

    @Test
    void everyChangeShowsInTheNextList() {
        String id = api.createVolume("before", 1);
        String other = api.createVolume("unchanged", 2);
        listedAsShown(id, "create");

        send("PUT", "/volumes/" + id, "{\"volume\": {\"name\": \"after\", \"description\": \"d\"}}", MEMBER);
        listedAsShown(id, "rename");
        assertThat(listed(id, MEMBER, "3.0").get("name").asText()).isEqualTo("after");

        send("POST", "/volumes/" + id + "/metadata", "{\"metadata\": {\"tier\": \"gold\", \"a\": \"1\"}}", MEMBER);
        listedAsShown(id, "metadata added");
        send("DELETE", "/volumes/" + id + "/metadata/tier", null, MEMBER);
        listedAsShown(id, "metadata key removed");
        assertThat(listed(id, MEMBER, "3.0").get("metadata")).isEqualTo(TestApi.object().put("a", "1"));

        send("POST", "/volumes/" + id + "/action", "{\"os-update_readonly_flag\": {\"readonly\": true}}", MEMBER);
        listedAsShown(id, "readonly (admin metadata)");
        assertThat(listed(id, MEMBER, "3.0").get("metadata").get("readonly").asText()).isEqualTo("True");

        send("POST", "/volumes/" + id + "/action", "{\"os-reset_status\": {\"status\": \"error\"}}", ADMIN);
        listedAsShown(id, "reset status");
        assertThat(listed(id, ADMIN, "3.0").get("status").asText()).isEqualTo("error");

        String typeId = api.types.findByName("__DEFAULT__").orElseThrow().id();
        send("PUT", "/types/" + typeId, "{\"volume_type\": {\"name\": \"renamed\"}}", ADMIN);
        listedAsShown(id, "type renamed");
        assertThat(listed(id, MEMBER, "3.0").get("volume_type").asText()).isEqualTo("renamed");
        listedAsShown(other, "unchanged volume, type renamed");
        send("PUT", "/types/" + typeId, "{\"volume_type\": {\"name\": \"__DEFAULT__\"}}", ADMIN);
        listedAsShown(other, "type renamed back");
    }

    @Test
    void membersNeverSeeWhatAdministratorsSawListed() {
        String id = api.createVolume("seen", 1);
        assertThat(listed(id, ADMIN, "3.70").has("os-vol-host-attr:host")).isTrue();
        assertThat(listed(id, MEMBER, "3.70").has("os-vol-host-attr:host")).isFalse();
        assertThat(listed(id, MEMBER, "3.70").has("migration_status")).isFalse();
        assertThat(listed(id, ADMIN, "3.70").has("migration_status")).isTrue();
        assertThat(Map.of("member", listed(id, MEMBER, "3.70").has("provider_id"),
                "admin", listed(id, ADMIN, "3.70").has("provider_id")))
                .isEqualTo(Map.of("member", false, "admin", true));
    }
}
