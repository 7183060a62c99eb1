package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.iscsi.ExternalTools;
import dev.basalt.testkit.ContentDigest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes uploaded as images of a real Glance (noauth, at {@code glance_api_servers}) through
 * Debian's {@code cinder upload-to-image} and {@code openstack image create --volume}: the volume
 * goes {@code uploading} and back to {@code available}, the image becomes {@code active} holding the
 * volume's bytes (raw: the same SHA-256; qcow2: the same bytes once converted back), carries the
 * volume's own image properties, and a volume made from it holds them again. A conversion that
 * fails, or Glance going down in the middle of the upload, leaves the volume {@code available}
 * with a user message and no image (deleted once Glance answers again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeUploadToImageIT {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @TempDir
    static Path temp;
    private GlanceWithBasalt stack;
    private GlanceServer glance;
    private BasaltProcess basalt;
    private Cli cli;
    private Api api;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        GlanceServer.requireInstalled();
        stack = GlanceWithBasalt.start(temp.resolve("state"), "");
        glance = stack.glance;
        basalt = stack.basalt;
        cli = stack.cli;
        api = stack.api;
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

    private String settled(String id, String transitional) throws Exception {
        return new Statuses(cli.api(), PATIENCE).until(Statuses.Kind.VOLUME, id,
                v -> !v.path("status").asText().equals(transitional)).path("status").asText();
    }

    private Path file(String volume) {
        return basalt.volumesDir().resolve("volume-" + volume);
    }

    /** A 1 GiB volume holding a random MiB at its start and another at 700 MiB, zeros elsewhere. */
    private String patternedVolume(String name, long seed) throws Exception {
        String volume = cinder("create", "--name", name, "1").get("id");
        assertThat(settled(volume, "creating")).isEqualTo("available");
        Random random = new Random(seed);
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        for (long offset : new long[] {0, 700 * MIB}) {
            byte[] data = new byte[(int) MIB];
            random.nextBytes(data);
            writes.put(offset, data);
        }
        try (FileChannel channel = FileChannel.open(file(volume), StandardOpenOption.WRITE)) {
            for (var write : writes.entrySet()) {
                channel.write(ByteBuffer.wrap(write.getValue()), write.getKey());
            }
            channel.force(true);
        }
        assertThat(ContentDigest.ofFile(file(volume))).isEqualTo(ContentDigest.ofImage(GIB, writes));
        return volume;
    }

    private JsonNode activeImage(String name) throws Exception {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode images = glance.imagesNamed(null, name);
            return images.size() == 1 ? images.get(0) : null;
        }, image -> image != null && image.path("status").asText().equals("active"));
    }

    private String imageSha256(String imageId, String format) throws Exception {
        Path data = temp.resolve(imageId + "." + format);
        glance.download(null, imageId, data);
        if (format.equals("raw")) {
            return ContentDigest.ofFile(data);
        }
        Path raw = temp.resolve(imageId + ".raw");
        ExternalTools.Run convert = ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "convert", "-f", format,
                "-O", "raw", data.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.output()).isZero();
        return ContentDigest.ofFile(raw);
    }

    @Test
    void cinderUploadsAVolumeAsARawImageWithItsBytesAndAVolumeMadeFromItHasThemAgain() throws Exception {
        String volume = patternedVolume("to-raw", 1);
        String expected = ContentDigest.ofFile(file(volume));
        cli.cinder("image-metadata", volume, "set", "hw_disk_bus=virtio", "os_glance_secret=x").ok();
        Map<String, String> answer = cinder("upload-to-image", volume, "raw-from-volume");
        assertThat(answer).containsEntry("id", volume).containsEntry("status", "uploading")
                .containsEntry("image_name", "raw-from-volume").containsEntry("disk_format", "raw")
                .containsEntry("container_format", "bare").containsEntry("size", "1");
        assertThat(settled(volume, "uploading")).isEqualTo("available");
        JsonNode image = activeImage("raw-from-volume");
        assertThat(image.path("id").asText()).isEqualTo(answer.get("image_id"));
        assertThat(image.path("disk_format").asText()).isEqualTo("raw");
        assertThat(image.path("size").asLong()).isEqualTo(GIB);
        assertThat(image.path("hw_disk_bus").asText()).isEqualTo("virtio");
        assertThat(image.has("os_glance_secret")).isFalse();
        assertThat(imageSha256(image.path("id").asText(), "raw")).isEqualTo(expected);

        String copy = cinder("create", "--image", "raw-from-volume", "--name", "from-uploaded", "1").get("id");
        assertThat(settled(copy, "creating")).isEqualTo("available");
        assertThat(ContentDigest.ofFile(file(copy))).isEqualTo(expected);
    }

    @Test
    void openstackImageCreateFromAVolumeMakesAQcow2ImageThatConvertsBackToTheSameBytes() throws Exception {
        String volume = patternedVolume("to-qcow2", 2);
        String expected = ContentDigest.ofFile(file(volume));
        JsonNode answer = cli.openstackJson("--os-volume-api-version", "3.1", "image", "create", "--volume", volume,
                "--disk-format", "qcow2", "--private", "qcow2-from-volume");
        assertThat(answer.path("status").asText()).isEqualTo("uploading");
        assertThat(answer.path("visibility").asText()).isEqualTo("private");
        assertThat(answer.path("protected").asBoolean()).isFalse();
        assertThat(answer.path("volume_type").asText()).isEqualTo("__DEFAULT__");
        assertThat(settled(volume, "uploading")).isEqualTo("available");
        JsonNode image = activeImage("qcow2-from-volume");
        assertThat(image.path("disk_format").asText()).isEqualTo("qcow2");
        assertThat(image.path("size").asLong()).as("zeros are not written into the qcow2").isLessThan(16 * MIB);
        assertThat(imageSha256(image.path("id").asText(), "qcow2")).isEqualTo(expected);
        assertThat(Files.list(basalt.stateDir().resolve("conversion"))).isEmpty();
    }

    @Test
    void aConversionThatFailsLeavesTheVolumeAvailableWithAMessageAndNoImage() throws Exception {
        String volume = cinder("create", "--name", "cannot-convert", "1").get("id");
        assertThat(settled(volume, "creating")).isEqualTo("available");
        Path conversion = basalt.stateDir().resolve("conversion");
        deleteTree(conversion);
        Files.writeString(conversion, "not a directory");
        try {
            cli.cinder("upload-to-image", "--disk-format", "qcow2", volume, "never-converted").ok();
            assertThat(settled(volume, "uploading")).isEqualTo("available");
        } finally {
            Files.delete(conversion);
            Files.createDirectories(conversion);
        }
        String messages = cli.cinder("--os-volume-api-version", "3.3", "message-list", "--resource_uuid", volume)
                .ok().stdout();
        assertThat(messages).contains("copy volume to image");
        JsonNode list = api.send("GET", "/messages?resource_uuid=" + volume, null, "3.3").body().path("messages");
        assertThat(list.get(0).path("user_message").asText()).contains("Failed to upload volume to image at backend.");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(glance.imagesNamed(null, "never-converted")).isEmpty());
    }

    @Test
    void glanceGoingDownDuringTheUploadLeavesTheVolumeAvailableWithAMessageAndNoImageOnceItIsBack() throws Exception {
        String volume = patternedVolume("glance-dies", 3);
        String imageId = cinder("upload-to-image", volume, "glance-died").get("image_id");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> glance.image(null, imageId).path("status").asText(), s -> !s.equals("queued"));
        glance.pause();
        try {
            assertThat(settled(volume, "uploading")).isEqualTo("available");
            JsonNode list = api.send("GET", "/messages?resource_uuid=" + volume, null, "3.3").body().path("messages");
            assertThat(list.get(0).path("user_message").asText())
                    .contains("Failed to upload volume to image at backend.");
        } finally {
            glance.resume();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(glance.imagesNamed(null, "glance-died")).isEmpty());
    }

    private JsonNode uploadThroughTheApi(String volume, String version, String params) throws Exception {
        Api.Response r = api.send("POST", "/volumes/" + volume + "/action",
                "{\"os-volume_upload_image\": {" + params + "}}", version);
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().path("os-volume_upload_image");
    }

    private static java.util.List<String> fields(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theAnswerHasExactlyCindersFieldsAtEachMicroversion() throws Exception {
        String volume = cinder("create", "--name", "answered", "--description", "for the answer", "1").get("id");
        assertThat(settled(volume, "creating")).isEqualTo("available");
        JsonNode shown = api.get("/volumes/" + volume).body().path("volume");
        JsonNode at30 = uploadThroughTheApi(volume, "3.0", "\"image_name\": \"answer-30\", \"disk_format\": \"qcow2\"");
        assertThat(fields(at30)).containsExactlyInAnyOrder("id", "updated_at", "status", "display_description", "size",
                "volume_type", "image_id", "container_format", "disk_format", "image_name", "protected", "visibility");
        assertThat(at30.path("id").asText()).isEqualTo(volume);
        assertThat(at30.path("status").asText()).isEqualTo("uploading");
        assertThat(at30.path("display_description").asText()).isEqualTo("for the answer");
        assertThat(at30.path("size").asInt()).isEqualTo(1);
        assertThat(at30.path("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(at30.path("volume_type").path("name").asText()).isEqualTo(shown.path("volume_type").asText());
        assertThat(at30.path("container_format").asText()).isEqualTo("bare");
        assertThat(at30.path("disk_format").asText()).isEqualTo("qcow2");
        assertThat(at30.path("image_name").asText()).isEqualTo("answer-30");
        JsonNode image30 = activeImage("answer-30");
        assertThat(at30.path("image_id").asText()).isEqualTo(image30.path("id").asText());
        assertThat(at30.path("visibility").asText()).isEqualTo(image30.path("visibility").asText());
        assertThat(at30.path("protected").asBoolean()).isFalse();
        assertThat(settled(volume, "uploading")).isEqualTo("available");

        JsonNode at31 = uploadThroughTheApi(volume, "3.1", "\"image_name\": \"answer-31\", \"disk_format\": \"qcow2\","
                + " \"container_format\": \"ovf\", \"visibility\": \"community\", \"protected\": \"true\"");
        assertThat(fields(at31)).isEqualTo(fields(at30));
        assertThat(at31.path("visibility").asText()).isEqualTo("community");
        assertThat(at31.path("protected").asBoolean()).isTrue();
        assertThat(at31.path("container_format").asText()).isEqualTo("ovf");
        JsonNode image31 = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> glance.image(null, at31.path("image_id").asText()),
                        i -> i.path("status").asText().equals("active"));
        assertThat(image31.path("visibility").asText()).isEqualTo("community");
        assertThat(image31.path("protected").asBoolean()).isTrue();
        assertThat(settled(volume, "uploading")).isEqualTo("available");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
