package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.testkit.ContentDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes from images with real Keystone tokens: Glance validates them and is the catalog's
 * {@code image} endpoint, and Basalt (with no {@code glance_api_servers}) finds it in the caller's
 * catalog and downloads with the caller's token. Through {@code openstack volume create --image}
 * (which looks the image up in Glance itself) and {@code cinder create --image}; another project
 * cannot use alice's private image. A volume uploaded with {@code openstack image create --volume}
 * becomes alice's private image in that Glance (created and written with her token), which bob does
 * not see.
 */
@ExtendWith(KeystoneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneVolumeFromImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    static Path temp;
    private GlanceServer glance;
    private BasaltProcess basalt;
    private KeystoneCli alice;
    private KeystoneCli bob;
    private BootDisk disk;
    private String image;
    private KeystoneServer keystone;

    @BeforeAll
    void start(KeystoneServer keystone) throws Exception {
        this.keystone = keystone;
        Cli.requireClients();
        BootDisk.require();
        disk = BootDisk.get();
        glance = GlanceServer.start(keystone);
        image = glance.uploadImage(keystone.token(KeystoneServer.ALICE), "alice-boot", "raw", disk.image(), Map.of());
        basalt = new BasaltProcess(temp.resolve("state"), "keystone", keystone.authtokenSection()).start();
        keystone.pointCatalogAt(basalt.endpoint());
        alice = new KeystoneCli(keystone, KeystoneServer.ALICE);
        bob = new KeystoneCli(keystone, KeystoneServer.BOB);
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
        if (glance != null) {
            glance.close();
        }
    }

    /** The volume's status once it is no longer {@code transitional}, read through the API as alice. */
    private String settled(String volume, String transitional) throws Exception {
        Api api = Api.withToken(basalt.endpoint(), keystone.projectId(KeystoneServer.ALICE.project()),
                keystone.token(KeystoneServer.ALICE));
        return new Statuses(api, PATIENCE).until(Statuses.Kind.VOLUME, volume,
                v -> !v.path("status").asText().equals(transitional)).path("status").asText();
    }

    private void assertHoldsTheImage(String volume) throws Exception {
        String status = settled(volume, "creating");
        assertThat(status).as(basalt.log()).isEqualTo("available");
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        writes.put(0L, java.nio.file.Files.readAllBytes(disk.image()));
        assertThat(ContentDigest.ofFile(basalt.volumesDir().resolve("volume-" + volume))).isEqualTo(ContentDigest.ofImage(1L << 30, writes));
        JsonNode shown = JSON.readTree(alice.openstack("volume", "show", volume, "-f", "json").ok().stdout());
        assertThat(shown.path("bootable").asText()).isEqualTo("true");
        assertThat(shown.path("volume_image_metadata").toString()).contains(image).contains("alice-boot");
    }

    @Test
    void openstackVolumeCreateWithAnImageFindsGlanceInTheCatalog() throws Exception {
        JsonNode created = JSON.readTree(alice.openstack("volume", "create", "--image", "alice-boot", "--size", "1",
                "os-from-image", "-f", "json").ok().stdout());
        assertHoldsTheImage(created.path("id").asText());
    }

    @Test
    void cinderCreateWithAnImageId() throws Exception {
        String volume = Tables.properties(alice.cinder("create", "--image", image, "--name", "cinder-from-image", "1")
                .ok().stdout()).get("id");
        assertHoldsTheImage(volume);
    }

    @Test
    void anotherProjectCannotUseAPrivateImage() throws Exception {
        Cli.Result refused = bob.cinder("create", "--image", image, "--name", "not-bobs", "1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Invalid image identifier or unable to access requested image.");
    }

    @Test
    void openstackImageCreateFromAVolumeUploadsWithTheCallersTokenIntoTheCatalogsGlance() throws Exception {
        JsonNode created = JSON.readTree(alice.openstack("volume", "create", "--image", "alice-boot", "--size", "1",
                "to-upload", "-f", "json").ok().stdout());
        String volume = created.path("id").asText();
        assertHoldsTheImage(volume);
        String expected = ContentDigest.ofFile(basalt.volumesDir().resolve("volume-" + volume));
        JsonNode answer = JSON.readTree(alice.openstack("--os-volume-api-version", "3.1", "image", "create",
                "--volume", volume, "--disk-format", "qcow2", "alice-uploaded", "-f", "json").ok().stdout());
        assertThat(answer.path("status").asText()).isEqualTo("uploading");
        String aliceToken = keystone.token(KeystoneServer.ALICE);
        JsonNode uploaded = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> glance.image(aliceToken, answer.path("image_id").asText()),
                        i -> i.path("status").asText().equals("active"));
        assertThat(uploaded.path("visibility").asText()).isEqualTo("private");
        assertThat(uploaded.path("image_name").isMissingNode()).as("core properties are not carried over").isTrue();
        java.nio.file.Path data = temp.resolve("alice-uploaded.qcow2");
        glance.download(aliceToken, uploaded.path("id").asText(), data);
        java.nio.file.Path raw = temp.resolve("alice-uploaded.raw");
        dev.basalt.iscsi.ExternalTools.Run convert = dev.basalt.iscsi.ExternalTools.run(Duration.ofMinutes(2),
                "qemu-img", "convert", "-f", "qcow2", "-O", "raw", data.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.output()).isZero();
        assertThat(ContentDigest.ofFile(raw)).isEqualTo(expected);
        assertThat(settled(volume, "uploading")).isEqualTo("available");
        assertThat(JSON.readTree(alice.openstack("volume", "show", volume, "-f", "json").ok().stdout())
                .path("status").asText()).isEqualTo("available");
        assertThat(glance.imagesNamed(keystone.token(KeystoneServer.BOB), "alice-uploaded")).isEmpty();
    }
}
