package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.iscsi.ExternalTools;
import dev.basalt.testkit.ContentDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes made from images of a real Glance (noauth, found at {@code glance_api_servers}) through
 * Debian's {@code cinder create --image}: the bootable test disk uploaded raw and as qcow2 ends up
 * byte for byte in the volume (zeros after it), the volume is bootable and shows the image's
 * metadata; an image whose content is not its declared format fails the volume with a user
 * message; an image that is not active, or that does not exist, is refused with a 400. The image
 * metadata of such a volume is shown, set and unset with {@code cinder image-metadata[-show]} and
 * {@code openstack volume set|unset --image-property}, and filters {@code cinder list --image_metadata}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeFromImageIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long GIB = 1L << 30;

    @TempDir
    static Path temp;
    private GlanceWithBasalt stack;
    private GlanceServer glance;
    private BasaltProcess basalt;
    private Cli cli;
    private Api api;
    private BootDisk disk;
    private String rawImage;
    private String qcow2Image;
    private String lyingImage;
    private String queuedImage;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        GlanceServer.requireInstalled();
        BootDisk.require();
        disk = BootDisk.get();
        stack = GlanceWithBasalt.start(temp.resolve("state"), "");
        glance = stack.glance;
        basalt = stack.basalt;
        cli = stack.cli;
        api = stack.api;
        Path qcow2 = temp.resolve("boot-disk.qcow2");
        ExternalTools.Run convert = ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "convert", "-f", "raw",
                "-O", "qcow2", disk.image().toString(), qcow2.toString());
        assertThat(convert.exitCode()).as(convert.output()).isZero();
        rawImage = glance.uploadImage(null, "boot-raw", "raw", disk.image(), Map.of("hw_disk_bus", "virtio"));
        qcow2Image = glance.uploadImage(null, "boot-qcow2", "qcow2", qcow2, Map.of());
        lyingImage = glance.uploadImage(null, "qcow2-said-raw", "raw", qcow2, Map.of());
        queuedImage = glance.createImage(null, "never-uploaded", "raw", "bare", Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private Map<String, String> cinder(String... args) throws Exception {
        return cli.cinderProperties(args);
    }

    private String settled(String id) throws Exception {
        return new Statuses(cli.api(), PATIENCE).until(Statuses.Kind.VOLUME, id,
                v -> !v.path("status").asText().equals("creating")).path("status").asText();
    }

    private String diskWithZerosAfter(long size) throws Exception {
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        writes.put(0L, Files.readAllBytes(disk.image()));
        return ContentDigest.ofImage(size, writes);
    }

    private void assertMadeFrom(String volume, String image, String name, String diskFormat) throws Exception {
        assertThat(settled(volume)).isEqualTo("available");
        assertThat(ContentDigest.ofFile(basalt.volumesDir().resolve("volume-" + volume))).isEqualTo(diskWithZerosAfter(GIB));
        assertThat(cinder("show", volume)).containsEntry("bootable", "true");
        JsonNode shown = api.get("/volumes/" + volume).body().path("volume");
        JsonNode meta = shown.path("volume_image_metadata");
        JsonNode record = glance.image(null, image);
        assertThat(meta.path("image_id").asText()).isEqualTo(image);
        assertThat(meta.path("image_name").asText()).isEqualTo(name);
        assertThat(meta.path("disk_format").asText()).isEqualTo(diskFormat);
        assertThat(meta.path("container_format").asText()).isEqualTo("bare");
        assertThat(meta.path("checksum").asText()).isEqualTo(record.path("checksum").asText());
        assertThat(meta.path("size").asText()).isEqualTo(record.path("size").asText());
        assertThat(meta.path("min_disk").asText()).isEqualTo("0");
        assertThat(meta.path("min_ram").asText()).isEqualTo("0");
        JsonNode listed = api.get("/volumes/detail").body().path("volumes");
        assertThat(listed.findValues("volume_image_metadata")).extracting(m -> m.path("image_id").asText())
                .contains(image);
    }

    @Test
    void aRawImageByIdFillsTheVolumeWhichIsBootableAndShowsTheImage() throws Exception {
        String volume = cinder("create", "--image", rawImage, "--name", "from-raw", "1").get("id");
        assertMadeFrom(volume, rawImage, "boot-raw", "raw");
        JsonNode meta = api.get("/volumes/" + volume).body().path("volume").path("volume_image_metadata");
        assertThat(meta.path("hw_disk_bus").asText()).isEqualTo("virtio");
        assertThat(Files.list(basalt.stateDir().resolve("conversion"))).isEmpty();
    }

    @Test
    void aQcow2ImageByNameIsConvertedToRaw() throws Exception {
        String volume = cinder("create", "--image", "boot-qcow2", "--name", "from-qcow2", "1").get("id");
        assertMadeFrom(volume, qcow2Image, "boot-qcow2", "qcow2");
    }

    @Test
    void anImageWhoseContentIsNotItsDeclaredFormatFailsTheVolumeWithAMessage() throws Exception {
        String volume = cinder("create", "--image", lyingImage, "--name", "from-liar", "1").get("id");
        assertThat(settled(volume)).isEqualTo("error");
        assertThat(cinder("show", volume)).containsEntry("bootable", "false");
        String messages = cli.cinder("--os-volume-api-version", "3.3", "message-list", "--resource_uuid", volume)
                .ok().stdout();
        assertThat(messages).contains("copy image to volume");
        JsonNode list = api.send("GET", "/messages?resource_uuid=" + volume, null, "3.3").body().path("messages");
        assertThat(list.get(0).path("user_message").asText())
                .contains(lyingImage).contains("content is qcow2").contains("disk_format says raw");
        assertThat(Files.list(basalt.stateDir().resolve("conversion"))).isEmpty();
    }

    @Test
    void anImageThatIsNotActiveIsRefused() throws Exception {
        Cli.Result refused = cli.cinder("create", "--image", queuedImage, "--name", "queued", "1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Image " + queuedImage + " is not active.").contains("HTTP 400");
    }

    @Test
    void anUnknownImageIsRefused() throws Exception {
        Cli.Result refused = cli.cinder("create", "--image", "no-such-image", "--name", "unknown", "1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Invalid image identifier or unable to access requested image.")
                .contains("HTTP 400");
    }

    private Map<String, String> imageMetadata(String volume) throws Exception {
        return cinder("image-metadata-show", volume);
    }

    @Test
    void theImageMetadataOfAVolumeIsShownSetAndUnsetThroughBothClients() throws Exception {
        String volume = cinder("create", "--image", rawImage, "--name", "image-meta", "1").get("id");
        assertThat(settled(volume)).isEqualTo("available");
        assertThat(imageMetadata(volume)).containsEntry("image_id", rawImage).containsEntry("image_name", "boot-raw")
                .containsEntry("hw_disk_bus", "virtio");

        cli.cinder("image-metadata", volume, "set", "os_distro=debian", "hw_disk_bus=scsi").ok();
        assertThat(imageMetadata(volume)).containsEntry("os_distro", "debian").containsEntry("hw_disk_bus", "scsi")
                .containsEntry("image_id", rawImage);
        cli.cinder("image-metadata", volume, "unset", "os_distro").ok();
        assertThat(imageMetadata(volume)).doesNotContainKey("os_distro").containsEntry("image_name", "boot-raw");
        Cli.Result unknown = cli.cinder("image-metadata", volume, "unset", "no_such_key");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("Glance metadata for volume/snapshot " + volume + " cannot be found.")
                .contains("HTTP 404");

        cli.openstack("volume", "set", "--image-property", "hw_scsi_model=virtio-scsi", volume).ok();
        JsonNode shown = cli.openstackJson("volume", "show", volume).path("volume_image_metadata");
        assertThat(shown.path("hw_scsi_model").asText()).isEqualTo("virtio-scsi");
        assertThat(shown.path("image_id").asText()).isEqualTo(rawImage);
        cli.openstack("volume", "unset", "--image-property", "hw_scsi_model", volume).ok();
        assertThat(imageMetadata(volume)).doesNotContainKey("hw_scsi_model").containsEntry("hw_disk_bus", "scsi");

        String listed = cli.cinder("--os-volume-api-version", "3.4", "list", "--image_metadata",
                "hw_disk_bus=scsi").ok().stdout();
        assertThat(listed).contains(volume);
        String none = cli.cinder("--os-volume-api-version", "3.4", "list", "--image_metadata",
                "hw_disk_bus=virtio", "image_id=" + rawImage).ok().stdout();
        assertThat(none).doesNotContain(volume);
    }
}
