package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.iscsi.ExternalTools;
import dev.basalt.testkit.ContentDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume transfers between two real Keystone projects through Debian's clients: alice (alpha) offers
 * a volume with {@code cinder transfer-create} / {@code openstack volume transfer request create},
 * bob (beta) accepts it with the key and then owns it: he attaches it over iSCSI and reads the bytes
 * alice wrote, which the transfer did not touch. A wrong key is a 400, a reader cannot offer, and
 * bob over his gigabytes quota gets a 413 with nothing moved.
 */
@ExtendWith(KeystoneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneTransfersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String INITIATOR = "iqn.1993-08.org.debian:01:transfers-it";

    @TempDir
    static Path temp;
    private KeystoneServer keystone;
    private BasaltProcess basalt;
    private KeystoneCli alice;
    private KeystoneCli rita;
    private KeystoneCli bob;
    private KeystoneCli admin;
    private Api aliceApi;
    private Api bobApi;

    @BeforeAll
    void start(KeystoneServer keystone) throws Exception {
        Cli.requireClients();
        Initiators.require();
        this.keystone = keystone;
        basalt = new BasaltProcess(temp.resolve("state"), "keystone", keystone.authtokenSection()).start();
        keystone.pointCatalogAt(basalt.endpoint());
        alice = new KeystoneCli(keystone, KeystoneServer.ALICE);
        rita = new KeystoneCli(keystone, KeystoneServer.RITA);
        bob = new KeystoneCli(keystone, KeystoneServer.BOB);
        admin = new KeystoneCli(keystone, KeystoneServer.ADMIN);
        aliceApi = Api.withToken(basalt.endpoint(), keystone.projectId("alpha"), keystone.token(KeystoneServer.ALICE));
        bobApi = Api.withToken(basalt.endpoint(), keystone.projectId("beta"), keystone.token(KeystoneServer.BOB));
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        return JSON.readTree(result.ok().stdout());
    }

    private static String ok(ExternalTools.Run run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.stdout();
    }

    private String newVolume(KeystoneCli owner, String name) throws Exception {
        String id = Tables.properties(owner.cinder("create", "--name", name, "1").ok().stdout()).get("id");
        await().atMost(PATIENCE).until(() -> status(aliceApi, id).equals("available"));
        return id;
    }

    private static String status(Api caller, String volume) throws Exception {
        return caller.get("/volumes/" + volume).body().path("volume").path("status").asText();
    }

    /** Attaches the volume for {@code caller} (attachments API), runs {@code qemu-io command} on it, detaches. */
    private String throughExport(Api caller, String volume, String command) throws Exception {
        String body = "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"connector\": {\"initiator\": \""
                + INITIATOR + "\", \"ip\": \"127.0.0.1\", \"host\": \"it-host\", \"mountpoint\": \"/dev/vdb\"}}}";
        Api.Response attachment = caller.send("POST", "/attachments", body, "3.54");
        assertThat(attachment.status()).as(attachment.raw()).isEqualTo(200);
        String id = attachment.body().path("attachment").path("id").asText();
        JsonNode c = attachment.body().path("attachment").path("connection_info");
        String url = Initiators.url(c.path("target_portal").asText(), c.path("target_iqn").asText(),
                c.path("target_lun").asText(), c.path("auth_username").asText(), c.path("auth_password").asText());
        try {
            assertThat(ok(Initiators.run("iscsi-inq", "-e", "1", "-c", "128", url))).contains(volume);
            return ok(Initiators.qemuIo(url, command));
        } finally {
            Api.Response detached = caller.send("DELETE", "/attachments/" + id, null, "3.27");
            assertThat(detached.status()).as(detached.raw()).isEqualTo(200);
            await().atMost(PATIENCE).until(() -> status(caller, volume).equals("available"));
        }
    }

    @Test
    void cinderTransfersAVolumeToAnotherProjectWithItsBytes() throws Exception {
        String volume = newVolume(alice, "tr-cinder");
        assertThat(throughExport(aliceApi, volume, "write -P 0x5a 0 1M")).contains("wrote 1048576/1048576");
        Path file = VolumeFiles.of(basalt.volumesDir(), volume);
        String before = ContentDigest.ofFile(file);

        Cli.Result denied = rita.cinder("transfer-create", volume);
        assertThat(denied.exitCode()).as("a reader cannot offer a volume").isNotZero();
        assertThat(denied.stderr()).contains("volume:create_transfer").contains("403");

        Map<String, String> offer = Tables.properties(alice.cinder("transfer-create", "--name", "for-bob", volume)
                .ok().stdout());
        assertThat(offer).containsKeys("id", "auth_key", "created_at", "name", "volume_id");
        assertThat(offer.get("name")).isEqualTo("for-bob");
        String id = offer.get("id");
        assertThat(status(aliceApi, volume)).isEqualTo("awaiting-transfer");
        assertThat(Tables.records(alice.cinder("transfer-list").ok().stdout()))
                .anyMatch(r -> id.equals(r.get("ID")) && volume.equals(r.get("Volume ID")));
        assertThat(Tables.records(rita.cinder("transfer-list").ok().stdout())).anyMatch(r -> id.equals(r.get("ID")));
        Map<String, String> shown = Tables.properties(alice.cinder("transfer-show", id).ok().stdout());
        assertThat(shown).doesNotContainKey("auth_key").containsEntry("volume_id", volume);
        assertThat(Tables.records(bob.cinder("transfer-list").ok().stdout())).noneMatch(r -> id.equals(r.get("ID")));
        assertThat(bob.cinder("transfer-show", id).exitCode()).as("bob cannot see alice's offer").isNotZero();

        Cli.Result wrongKey = bob.cinder("transfer-accept", id, "0000000000000000");
        assertThat(wrongKey.exitCode()).isNotZero();
        assertThat(wrongKey.stderr()).contains("Invalid auth key: Attempt to transfer " + id
                + " with invalid auth key.").contains("400");

        Map<String, String> accepted = Tables.properties(bob.cinder("transfer-accept", id, offer.get("auth_key"))
                .ok().stdout());
        assertThat(accepted).containsEntry("id", id).containsEntry("volume_id", volume);
        assertThat(status(bobApi, volume)).isEqualTo("available");
        assertThat(alice.cinder("show", volume).exitCode()).as("alice gave it away").isNotZero();
        assertThat(Tables.properties(bob.cinder("show", volume).ok().stdout()).get("name")).isEqualTo("tr-cinder");
        assertThat(alice.cinder("transfer-show", id).exitCode()).as("an accepted transfer is gone").isNotZero();

        assertThat(ContentDigest.ofFile(file)).as("a transfer does not touch the bytes").isEqualTo(before);
        assertThat(throughExport(bobApi, volume, "read -P 0x5a 0 1M")).contains("read 1048576/1048576");
        bob.cinder("delete", volume).ok();
    }

    @Test
    void openstackTransferRequestsAt357AndAReceiverOverQuota() throws Exception {
        String volume = newVolume(alice, "tr-openstack");
        JsonNode first = json(alice.openstack("--os-volume-api-version", "3.57", "volume", "transfer", "request",
                "create", "--name", "first", "-f", "json", volume));
        String firstId = first.path("id").asText();
        assertThat(first.path("auth_key").asText()).matches("[0-9a-f]{16}");
        assertThat(json(alice.openstack("--os-volume-api-version", "3.57", "volume", "transfer", "request", "list",
                "-f", "json"))).anySatisfy(t -> assertThat(t.path("ID").asText()).isEqualTo(firstId));
        JsonNode shown = json(alice.openstack("--os-volume-api-version", "3.57", "volume", "transfer", "request",
                "show", "-f", "json", firstId));
        assertThat(shown.path("source_project_id").asText()).isEqualTo(keystone.projectId("alpha"));
        assertThat(shown.path("accepted").asBoolean()).isFalse();
        assertThat(shown.has("auth_key")).isFalse();
        alice.openstack("volume", "transfer", "request", "delete", firstId).ok();
        assertThat(status(aliceApi, volume)).isEqualTo("available");

        Map<String, String> offer = Tables.properties(alice.cinder("--os-volume-api-version", "3.57",
                "transfer-create", "--no-snapshots", volume).ok().stdout());
        assertThat(offer).containsEntry("no_snapshots", "True").containsKey("source_project_id");
        String id = offer.get("id");
        String beta = keystone.projectId("beta");
        admin.cinder("quota-update", "--gigabytes", "0", beta).ok();
        try {
            Cli.Result over = bob.openstack("volume", "transfer", "request", "accept", "--auth-key",
                    offer.get("auth_key"), id);
            assertThat(over.exitCode()).isNotZero();
            assertThat(over.stderr()).contains("VolumeSizeExceedsAvailableQuota").contains("413");
            assertThat(status(aliceApi, volume)).as("nothing moved").isEqualTo("awaiting-transfer");
        } finally {
            admin.cinder("quota-delete", beta).ok();
        }
        JsonNode accepted = json(bob.openstack("volume", "transfer", "request", "accept", "--auth-key",
                offer.get("auth_key"), "-f", "json", id));
        assertThat(accepted.path("id").asText()).isEqualTo(id);
        assertThat(json(bob.openstack("volume", "show", "-f", "json", volume)).path("status").asText())
                .isEqualTo("available");
        assertThat(throughExport(bobApi, volume, "read -P 0 0 64k")).contains("read 65536/65536");
        bob.openstack("volume", "delete", volume).ok();
    }
}
