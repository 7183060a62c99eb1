package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.iscsi.ExternalTools;
import dev.basalt.testkit.ContentDigest;
import dev.basalt.testkit.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-volume cache on XFS with a real Glance ({@code image_volume_cache_enabled},
 * {@code image_volume_cache_max_count = 1}, an internal tenant): the first volume made from an image
 * leaves a cache volume {@code image-<image id>} of the internal tenant; the next volume from that
 * image is a reflink clone of it (its extents shared), with the image's bytes; a volume from another
 * image evicts the older entry, whose cache volume is wiped and gone while its clones keep their
 * bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageVolumeCacheOnXfsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long GIB = 1L << 30;
    private static final String INTERNAL_PROJECT = "cinder-internal";

    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    @TempDir
    static Path temp;
    private GlanceWithBasalt stack;
    private GlanceServer glance;
    private BasaltProcess basalt;
    private Cli cli;
    private Api api;
    private final Map<String, byte[]> imageBytes = new java.util.HashMap<>();
    private String imageA;
    private String imageB;
    private final List<String> fromA = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        GlanceServer.requireInstalled();
        stack = GlanceWithBasalt.start(XFS.newDirectory().resolve("state"), """
                cinder_internal_tenant_project_id = %s
                cinder_internal_tenant_user_id = cinder
                [file]
                image_volume_cache_enabled = true
                image_volume_cache_max_count = 1
                """.formatted(INTERNAL_PROJECT));
        glance = stack.glance;
        basalt = stack.basalt;
        cli = stack.cli;
        api = stack.api;
        imageA = image("cache-a", 1);
        imageB = image("cache-b", 2);
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** A raw image of 8 MiB of random bytes. */
    private String image(String name, long seed) throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(seed).nextBytes(data);
        Path file = Files.write(temp.resolve(name + ".raw"), data);
        String id = glance.uploadImage(null, name, "raw", file, Map.of());
        imageBytes.put(id, data);
        return id;
    }

    private String volumeFrom(String image, String name) throws Exception {
        String id = cli.cinderProperties("create", "--image", image, "--name", name, "1").get("id");
        String status = new Statuses(cli.api(), PATIENCE).until(Statuses.Kind.VOLUME, id,
                v -> !v.path("status").asText().equals("creating")).path("status").asText();
        assertThat(status).as(basalt.log()).isEqualTo("available");
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        writes.put(0L, imageBytes.get(image));
        assertThat(ContentDigest.ofFile(file(id))).isEqualTo(ContentDigest.ofImage(GIB, writes));
        return id;
    }

    private Path file(String volume) {
        return basalt.volumesDir().resolve("volume-" + volume);
    }

    /** The internal tenant's volumes, as an administrator lists them. */
    private List<JsonNode> cacheVolumes() throws Exception {
        List<JsonNode> found = new ArrayList<>();
        api.get("/volumes/detail?all_tenants=1").body().path("volumes").forEach(v -> {
            if (INTERNAL_PROJECT.equals(v.path("os-vol-tenant-attr:tenant_id").asText())) {
                found.add(v);
            }
        });
        return found;
    }

    private long sharedExtents(Path file) throws Exception {
        ExternalTools.Run frag = ExternalTools.run(Duration.ofSeconds(30), "filefrag", "-v", file.toString());
        assertThat(frag.exitCode()).as(frag.output()).isZero();
        return frag.output().lines().filter(l -> l.contains("shared")).count();
    }

    @Test
    @Order(1)
    void theFirstVolumeOfAnImageLeavesACacheVolumeAndTheNextIsAReflinkOfIt() throws Exception {
        String first = volumeFrom(imageA, "first-from-a");
        fromA.add(first);
        List<JsonNode> cached = cacheVolumes();
        assertThat(cached).hasSize(1);
        JsonNode cache = cached.get(0);
        assertThat(cache.path("name").asText()).isEqualTo("image-" + imageA);
        assertThat(cache.path("status").asText()).isEqualTo("available");
        assertThat(cache.path("size").asInt()).isEqualTo(1);
        assertThat(cache.path("volume_image_metadata").path("image_id").asText()).isEqualTo(imageA);
        assertThat(sharedExtents(file(first))).as("the first volume is a clone of the cache volume too").isPositive();

        String second = volumeFrom(imageA, "second-from-a");
        fromA.add(second);
        assertThat(sharedExtents(file(second))).isPositive();
        assertThat(cacheVolumes()).hasSize(1);
        JsonNode shown = api.get("/volumes/" + second).body().path("volume");
        assertThat(shown.path("bootable").asText()).isEqualTo("true");
        assertThat(shown.path("volume_image_metadata").path("image_id").asText()).isEqualTo(imageA);
    }

    @Test
    @Order(2)
    void aVolumeOfAnotherImageEvictsTheOlderEntryBeyondTheCount() throws Exception {
        volumeFrom(imageB, "from-b");
        List<JsonNode> cached = cacheVolumes();
        assertThat(cached).extracting(v -> v.path("name").asText()).containsExactly("image-" + imageB);
        String evicted = "image-" + imageA;
        try (var files = Files.list(basalt.volumesDir())) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("volume-")).count())
                    .as("three user volumes and one cache volume").isEqualTo(4);
        }
        assertThat(cached).noneMatch(v -> v.path("name").asText().equals(evicted));
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        writes.put(0L, imageBytes.get(imageA));
        for (String volume : fromA) {
            assertThat(ContentDigest.ofFile(file(volume))).as("a clone keeps its bytes when its cache volume is wiped")
                    .isEqualTo(ContentDigest.ofImage(GIB, writes));
        }
    }
}
