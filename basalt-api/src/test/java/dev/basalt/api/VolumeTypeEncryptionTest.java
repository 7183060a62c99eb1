package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.config.KeyManagerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /types/{type_id}/encryption} as Cinder serves it: the exact bodies of each call, bad
 * bodies, unknown types, a type in use and a caller who is not an administrator.
 */
class VolumeTypeEncryptionTest {
    private static final String ADMIN = "alice:" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    private static final String LUKS = "{\"encryption\": {\"key_size\": 256, \"provider\": \"luks\","
            + " \"control_location\": \"front-end\", \"cipher\": \"aes-xts-plain64\"}}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000).withKeyManager(KeyManagerOptions.fixedKey("00".repeat(32))),
                MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Reply send(String token, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply admin(String method, String path, String body) {
        return send(ADMIN, method, path, body);
    }

    private static String type(String name) {
        TestApi.Reply r = admin("POST", "/types", "{\"volume_type\": {\"name\": \"" + name + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("volume_type").get("id").asText();
    }

    private static String encrypted(String name) {
        String type = type(name);
        TestApi.Reply r = admin("POST", "/types/" + type + "/encryption", LUKS);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return type;
    }

    @Test
    void createShowUpdateAndDeleteAsCinder() {
        String type = type("enc-cycle");
        String path = "/types/" + type + "/encryption";
        TestApi.Reply none = admin("GET", path, null);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json()).isEqualTo(TestApi.json("{}"));

        TestApi.Reply created = admin("POST", path, LUKS);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        JsonNode e = created.json().get("encryption");
        assertThat(TestApi.fieldNames(created.json())).containsExactly("encryption");
        assertThat(TestApi.fieldNames(e)).containsExactlyInAnyOrder("key_size", "provider", "control_location",
                "cipher", "volume_type_id", "encryption_id");
        assertThat(e.get("key_size").isInt()).isTrue();
        assertThat(e.get("volume_type_id").asText()).isEqualTo(type);
        String encryptionId = e.get("encryption_id").asText();

        JsonNode shown = admin("GET", path, null).json();
        assertThat(TestApi.fieldNames(shown)).containsExactlyInAnyOrder("volume_type_id", "control_location",
                "deleted", "created_at", "updated_at", "encryption_id", "key_size", "provider", "deleted_at",
                "cipher");
        assertThat(shown.get("encryption_id").asText()).isEqualTo(encryptionId);
        assertThat(shown.get("key_size").asInt()).isEqualTo(256);
        assertThat(shown.get("deleted").asBoolean()).isFalse();
        assertThat(shown.get("deleted_at").isNull()).isTrue();
        assertThat(shown.get("updated_at").isNull()).isTrue();
        assertThat(shown.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");

        assertThat(admin("GET", path + "/cipher", null).json())
                .isEqualTo(TestApi.json("{\"cipher\": \"aes-xts-plain64\"}"));
        assertThat(admin("GET", path + "/deleted", null).json()).isEqualTo(TestApi.json("{\"deleted\": false}"));
        TestApi.Reply noKey = admin("GET", path + "/colour", null);
        assertThat(noKey.status()).isEqualTo(404);
        assertThat(noKey.faultMessage()).isEqualTo("Volume type encryption for type " + type + " does not exist.");

        String change = "{\"encryption\": {\"key_size\": \"512\", \"control_location\": \"back-end\", \"cipher\": null}}";
        TestApi.Reply updated = admin("PUT", path + "/" + encryptionId, change);
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json()).isEqualTo(TestApi.json(
                "{\"encryption\": {\"key_size\": 512, \"control_location\": \"back-end\", \"cipher\": null}}"));
        shown = admin("GET", path, null).json();
        assertThat(shown.get("key_size").asInt()).isEqualTo(512);
        assertThat(shown.get("control_location").asText()).isEqualTo("back-end");
        assertThat(shown.get("cipher").isNull()).isTrue();
        assertThat(shown.get("provider").asText()).as("unchanged").isEqualTo("luks");
        assertThat(shown.get("updated_at").isNull()).isFalse();

        TestApi.Reply deleted = admin("DELETE", path + "/" + encryptionId, null);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.text()).isEmpty();
        assertThat(admin("GET", path, null).json()).isEqualTo(TestApi.json("{}"));
        TestApi.Reply again = admin("DELETE", path + "/" + encryptionId, null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.faultMessage()).isEqualTo("Volume type encryption for type " + type + " does not exist.");
        TestApi.Reply updateNone = admin("PUT", path + "/" + encryptionId, change);
        assertThat(updateNone.status()).isEqualTo(404);
        assertThat(updateNone.faultMessage()).isEqualTo(again.faultMessage());
    }

    @Test
    void aSecondEncryptionIsRefusedAndTheTypeViewShowsNone() {
        String type = encrypted("enc-twice");

        TestApi.Reply twice = admin("POST", "/types/" + type + "/encryption", LUKS);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.faultMessage()).isEqualTo("Volume type encryption for type " + type + " already exists.");
        JsonNode view = admin("GET", "/types/" + type, null).json().get("volume_type");
        assertThat(TestApi.fieldNames(view)).noneMatch(f -> f.contains("encrypt"));
        assertThat(view.get("extra_specs")).isEqualTo(TestApi.json("{}"));
    }

    @Test
    void optionalFieldsMayBeLeftOutOrNull() {
        String type = type("enc-minimal");
        TestApi.Reply created = admin("POST", "/types/" + type + "/encryption",
                "{\"encryption\": {\"provider\": \"plain\", \"control_location\": \"back-end\", \"key_size\": null}}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(TestApi.fieldNames(created.json().get("encryption"))).containsExactlyInAnyOrder("provider",
                "control_location", "key_size", "volume_type_id", "encryption_id");
        JsonNode shown = admin("GET", "/types/" + type + "/encryption", null).json();
        assertThat(shown.get("cipher").isNull()).isTrue();
        assertThat(shown.get("key_size").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"middle\"}}",
            "{\"encryption\": {\"provider\": \"luks\"}}",
            "{\"encryption\": {\"control_location\": \"front-end\"}}",
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"key_size\": \"abc\"}}",
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"key_size\": -1}}",
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"key_size\": \"-8\"}}",
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"key_size\": 1.5}}",
            "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"colour\": \"red\"}}",
            "{\"encryption\": {\"provider\": null, \"control_location\": \"front-end\"}}",
            "{\"encryption\": \"luks\"}",
            "{\"luks\": {}}"})
    void badBodiesAre400AndChangeNothing(String body) {
        String type = type("enc-bad-" + Integer.toHexString(body.hashCode()));
        String path = "/types/" + type + "/encryption";

        TestApi.Reply created = admin("POST", path, body);
        assertThat(created.status()).as(created.text()).isEqualTo(400);
        assertThat(created.faultMessage()).isNotBlank();
        assertThat(admin("GET", path, null).json()).isEqualTo(TestApi.json("{}"));
        if (body.contains("control_location\": \"front-end\"") || body.contains("middle")) {
            assertThat(admin("POST", path, LUKS).status()).isEqualTo(200);
            TestApi.Reply updated = admin("PUT", path + "/x", body);
            assertThat(updated.status()).as(updated.text()).isEqualTo(
                    body.contains("key_size") || body.contains("colour") || body.contains("middle")
                            || body.contains("null") ? 400 : 200);
            assertThat(admin("GET", path, null).json().get("key_size").asInt()).isEqualTo(256);
        }
    }

    @Test
    void badControlLocationSaysWhichAreValid() {
        String type = type("enc-location");
        TestApi.Reply r = admin("POST", "/types/" + type + "/encryption",
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"middle\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).contains("control_location").contains("front-end").contains("back-end");
        TestApi.Reply k = admin("POST", "/types/" + type + "/encryption",
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\", \"key_size\": \"x\"}}");
        assertThat(k.faultMessage()).contains("key_size must be an integer");
    }

    @Test
    void anUnknownTypeIs404() {
        String unknown = "6c4a61b2-4b0a-4f4b-9a7e-000000000404";
        String path = "/types/" + unknown + "/encryption";
        for (TestApi.Reply r : new TestApi.Reply[] {admin("GET", path, null), admin("GET", path + "/cipher", null),
                admin("POST", path, LUKS), admin("PUT", path + "/x", LUKS)}) {
            assertThat(r.status()).as(r.text()).isEqualTo(404);
            assertThat(r.faultMessage()).isEqualTo("Volume type " + unknown + " could not be found.");
        }
        TestApi.Reply deleted = admin("DELETE", path + "/x", null);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.faultMessage()).isEqualTo("Volume type encryption for type " + unknown
                + " does not exist.");
    }

    @Test
    void aTypeInUseKeepsItsEncryption() {
        String used = encrypted("enc-used");
        String plain = type("enc-used-plain");
        for (String t : new String[] {used, plain}) {
            assertThat(send(ADMIN, "POST", "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + t + "\"}}")
                    .status()).isEqualTo(202);
        }

        TestApi.Reply create = admin("POST", "/types/" + plain + "/encryption", LUKS);
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.faultMessage()).isEqualTo("Cannot create encryption specs. Volume type in use.");
        TestApi.Reply update = admin("PUT", "/types/" + used + "/encryption/x", LUKS);
        assertThat(update.status()).isEqualTo(400);
        assertThat(update.faultMessage()).isEqualTo("Cannot update encryption specs. Volume type in use.");
        TestApi.Reply delete = admin("DELETE", "/types/" + used + "/encryption/x", null);
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.faultMessage()).isEqualTo("Cannot delete encryption specs. Volume type in use.");
        assertThat(admin("GET", "/types/" + used + "/encryption", null).json().get("provider").asText())
                .isEqualTo("luks");
        assertThat(admin("GET", "/types/" + plain + "/encryption", null).json()).isEqualTo(TestApi.json("{}"));
    }

    @Test
    void onlyAdministratorsMayTouchIt() {
        String type = encrypted("enc-admin-only");
        String path = "/types/" + type + "/encryption";
        for (String token : new String[] {MEMBER, "carol:" + TestApi.PROJECT + ":reader"}) {
            for (TestApi.Reply r : new TestApi.Reply[] {send(token, "GET", path, null),
                    send(token, "GET", path + "/cipher", null), send(token, "POST", path, LUKS),
                    send(token, "PUT", path + "/x", LUKS), send(token, "DELETE", path + "/x", null)}) {
                assertThat(r.status()).as(r.text()).isEqualTo(403);
            }
        }
        assertThat(admin("GET", path, null).json().get("provider").asText()).isEqualTo("luks");
    }

    @Test
    void deletingTheTypeTakesItsEncryptionAlong() {
        String type = encrypted("enc-type-gone");
        assertThat(admin("DELETE", "/types/" + type, null).status()).isEqualTo(202);
        assertThat(admin("GET", "/types/" + type + "/encryption", null).status()).isEqualTo(404);
    }
}
