package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.service.EncryptionKeys;
import dev.basalt.config.KeyManagerOptions;
import dev.basalt.model.VolumeStatus;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes of encrypted types as Cinder makes them with its fixed-key manager: encrypted, with the
 * fixed key id (which Cinder's view hides), carried by their snapshots and copied to volumes made
 * from them, and {@code encrypted} in their connection info; and Cinder's refusals (no usable key
 * manager, no cipher, multiattach).
 */
class EncryptedVolumesTest {
    private static final String KEY = "ab".repeat(32);
    private static final String CONNECTOR = "{\"initiator\": \"iqn.1993-08.org.debian:01:enc\", \"host\": \"e1\"}";
    private static final String LUKS = "{\"encryption\": {\"key_size\": 256, \"provider\": \"luks\","
            + " \"control_location\": \"front-end\", \"cipher\": \"aes-xts-plain64\"}}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000).withKeyManager(KeyManagerOptions.fixedKey(KEY)));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A type named {@code name}, encrypted with {@code encryption} unless null. */
    static void type(TestApi on, String name, String extraSpecs, String encryption) {
        TestApi.Reply t = on.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"" + name + "\", \"extra_specs\": "
                + extraSpecs + "}}");
        assertThat(t.status()).as(t.text()).isEqualTo(200);
        if (encryption != null) {
            String id = t.json().get("volume_type").get("id").asText();
            TestApi.Reply e = on.post(TestApi.p("/types/" + id + "/encryption"), encryption);
            assertThat(e.status()).as(e.text()).isEqualTo(200);
        }
    }

    private static String volumeOf(String type) {
        String id = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}");
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        return id;
    }

    private static JsonNode connectionData(String volume) {
        TestApi.Reply init = api.volumeAction(volume, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR
                + "}}");
        assertThat(init.status()).as(init.text()).isEqualTo(200);
        return init.json().get("connection_info").get("data");
    }

    @Test
    void aVolumeOfAnEncryptedTypeIsEncryptedWithTheFixedKey() {
        type(api, "luks", "{}", LUKS);
        type(api, "clear", "{}", null);
        String encrypted = volumeOf("luks");
        String clear = volumeOf("clear");

        assertThat(api.volumes.find(encrypted).orElseThrow().encryptionKeyId()).isEqualTo(EncryptionKeys.FIXED_KEY_ID);
        assertThat(api.volumes.find(clear).orElseThrow().encryptionKeyId()).isNull();
        JsonNode shown = api.get(TestApi.p("/volumes/" + encrypted), "3.70").json().get("volume");
        assertThat(shown.get("encrypted").asBoolean()).isTrue();
        assertThat(shown.has("encryption_key_id")).as("Cinder hides the fixed key's id").isFalse();
        assertThat(api.get(TestApi.p("/volumes/" + clear)).json().get("volume").get("encrypted").asBoolean()).isFalse();
        JsonNode listed = api.get(TestApi.p("/volumes/detail")).json().get("volumes");
        listed.forEach(v -> assertThat(v.get("encrypted").asBoolean()).as(v.get("id").asText())
                .isEqualTo(api.volumes.find(v.get("id").asText()).orElseThrow().encrypted()));
        assertThat(listed).anyMatch(v -> v.get("id").asText().equals(encrypted) && v.get("encrypted").asBoolean());

        assertThat(connectionData(encrypted).get("encrypted").asBoolean()).isTrue();
        assertThat(connectionData(clear).get("encrypted").asBoolean()).isFalse();
    }

    @Test
    void snapshotsCarryTheKeyAndVolumesMadeFromThemGetACopy() {
        type(api, "luks-snap", "{}", LUKS);
        String source = volumeOf("luks-snap");
        String snapshot = api.availableSnapshot(source, "s1");
        assertThat(api.snapshots.find(snapshot).orElseThrow().encryptionKeyId()).isEqualTo(EncryptionKeys.FIXED_KEY_ID);

        String fromSnapshot = api.createVolume("{\"volume\": {\"size\": 1, \"snapshot_id\": \"" + snapshot + "\"}}");
        String clone = api.createVolume("{\"volume\": {\"size\": 1, \"source_volid\": \"" + source + "\"}}");

        for (String v : new String[] {fromSnapshot, clone}) {
            assertThat(api.volumes.find(v).orElseThrow().encryptionKeyId()).isEqualTo(EncryptionKeys.FIXED_KEY_ID);
            assertThat(api.get(TestApi.p("/volumes/" + v)).json().get("volume").get("encrypted").asBoolean()).isTrue();
        }
    }

    @Test
    void aSourceIsCopiedOnlyIntoATypeEncryptedTheSameWay() {
        type(api, "luks-src", "{}", LUKS);
        type(api, "luks-same", "{}", LUKS);
        type(api, "luks-plain-src", "{}", null);
        String source = volumeOf("luks-src");
        String snapshot = api.availableSnapshot(source, "s-src");
        String plainId = api.types.findByName("luks-plain-src").orElseThrow().id();

        TestApi.Reply clone = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"source_volid\": \""
                + source + "\", \"volume_type\": \"luks-plain-src\"}}");
        assertThat(clone.status()).isEqualTo(400);
        assertThat(clone.faultMessage()).isEqualTo("Invalid input received: Invalid volume_type provided: " + plainId
                + " (requested type is not compatible; either match source volume, or omit type argument).");
        TestApi.Reply fromSnapshot = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"snapshot_id\": \""
                + snapshot + "\", \"volume_type\": \"luks-plain-src\"}}");
        assertThat(fromSnapshot.status()).isEqualTo(400);
        assertThat(fromSnapshot.faultMessage()).isEqualTo("Invalid input received: Invalid volume_type provided: "
                + plainId + " (requested type is not compatible; recommend omitting the type argument).");
        TestApi.Reply same = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"source_volid\": \""
                + source + "\", \"volume_type\": \"luks-same\"}}");
        assertThat(same.status()).as(same.text()).isEqualTo(202);
        assertThat(api.volumes.find(same.json().get("volume").get("id").asText()).orElseThrow().encrypted()).isTrue();
    }

    @Test
    void anEncryptedVolumeIsTransferredFrom370WithItsSnapshotsOnly() {
        type(api, "luks-transfer", "{}", LUKS);
        String volume = volumeOf("luks-transfer");
        String body = "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}";

        TestApi.Reply old = api.post(TestApi.p("/volume-transfers"), body, "3.69");
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.faultMessage()).isEqualTo("Invalid volume: transferring encrypted volume is not supported");
        TestApi.Reply withoutSnapshots = api.post(TestApi.p("/volume-transfers"),
                "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"no_snapshots\": true}}", "3.70");
        assertThat(withoutSnapshots.status()).isEqualTo(400);
        assertThat(withoutSnapshots.faultMessage()).isEqualTo("Invalid volume: transferring an encrypted volume"
                + " without its snapshots is not supported");
        TestApi.Reply offered = api.post(TestApi.p("/volume-transfers"), body, "3.70");
        assertThat(offered.status()).as(offered.text()).isEqualTo(202);
    }

    @Test
    void anEncryptedTypeWithoutACipherWithMultiattachOrFromAnImageIsRefused() {
        type(api, "no-cipher", "{}", "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\"}}");
        type(api, "luks-multi", "{\"multiattach\": \"<is> True\"}", LUKS);
        type(api, "luks-image", "{}", LUKS);
        long before = api.volumes.countWithType(api.types.findByName("no-cipher").orElseThrow().id());

        TestApi.Reply noCipher = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"volume_type\": \"no-cipher\"}}");
        assertThat(noCipher.status()).isEqualTo(400);
        assertThat(noCipher.faultMessage()).isEqualTo("Invalid encryption spec");
        TestApi.Reply multi = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"volume_type\": \"luks-multi\"}}");
        assertThat(multi.status()).isEqualTo(400);
        assertThat(multi.faultMessage()).isEqualTo("Invalid volume: Multiattach cannot be used with encrypted volumes.");
        TestApi.Reply image = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"volume_type\": \"luks-image\","
                + " \"imageRef\": \"cirros\"}}");
        assertThat(image.status()).isEqualTo(400);
        assertThat(image.faultMessage()).contains("encrypted volume type from an image");
        assertThat(api.volumes.countWithType(api.types.findByName("no-cipher").orElseThrow().id())).isEqualTo(before);
        assertThat(api.volumes.countWithType(api.types.findByName("luks-multi").orElseThrow().id())).isZero();
    }

    @Test
    void withoutAUsableKeyManagerEncryptedVolumesAreRefusedAndClearOnesAreNot() {
        try (TestApi barbican = new TestApi(TestApi.settings(1000))) {
            type(barbican, "luks-b", "{}", LUKS);
            TestApi.Reply refused = barbican.post(TestApi.p("/volumes"),
                    "{\"volume\": {\"size\": 1, \"volume_type\": \"luks-b\"}}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.faultMessage()).isEqualTo("Key manager error");
            assertThat(barbican.volumes.countWithType(barbican.types.findByName("luks-b").orElseThrow().id())).isZero();
            assertThat(barbican.createVolume("clear", 1)).isNotBlank();
        }
    }

    @Test
    void theFixedKeyManagerWithoutAKeyGivesNewKeysButCannotCopyOne() {
        KeyManagerOptions noKey = new KeyManagerOptions(KeyManagerOptions.Backend.FIXED_KEY, Optional.empty());
        try (TestApi keyless = new TestApi(TestApi.settings(1000).withKeyManager(noKey))) {
            type(keyless, "luks-k", "{}", LUKS);
            String source = keyless.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"luks-k\"}}");
            keyless.awaitStatus(source, VolumeStatus.AVAILABLE);
            assertThat(keyless.volumes.find(source).orElseThrow().encrypted()).isTrue();

            TestApi.Reply clone = keyless.post(TestApi.p("/volumes"),
                    "{\"volume\": {\"size\": 1, \"source_volid\": \"" + source + "\"}}");
            assertThat(clone.status()).isEqualTo(400);
            assertThat(clone.faultMessage()).isEqualTo("Key manager error");
        }
    }
}
