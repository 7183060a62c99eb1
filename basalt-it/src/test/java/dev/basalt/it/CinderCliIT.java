package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation's user story, end to end: a real {@code basalt all} process driven by Debian's
 * {@code cinder} client, checked against the files on disk, then restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CinderCliIT {
    private static final long GIB = 1L << 30;

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cinder;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cinder = basalt.cli("u1", "p1");
    }

    private Map<String, String> show(String nameOrId) throws Exception {
        return Tables.properties(cinder.cinder("show", nameOrId).ok().stdout());
    }

    private Map<String, String> awaitStatus(String nameOrId, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> show(nameOrId), v -> status.equals(v.get("status")));
    }

    @Test
    @Order(1)
    void apiVersionShowsTheSupportedRange() throws Exception {
        String out = cinder.cinder("api-version").ok().stdout();
        List<Map<String, String>> rows = Tables.records(out);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("ID")).isEqualTo("v3.0");
            assertThat(row.get("Min_version")).isEqualTo("3.0");
            assertThat(row.get("Version")).isEqualTo("3.70");
        });
    }

    @Test
    @Order(2)
    void createListShowRenameMetadataDelete() throws Exception {
        Map<String, String> created = Tables.properties(cinder.cinder("create", "--name", "a", "1").ok().stdout());
        String id = created.get("id");
        assertThat(created.get("status")).isIn("creating", "available");
        assertThat(created.get("size")).isEqualTo("1");

        Map<String, String> available = awaitStatus("a", "available");
        assertThat(available.get("volume_type")).isEqualTo("__DEFAULT__");
        assertThat(available.get("availability_zone")).isEqualTo("nova");
        assertThat(available.get("os-vol-host-attr:host")).isEqualTo("it-host@file#file");

        Path file = VolumeFiles.of(basalt.volumesDir(), id);
        assertThat(Files.size(file)).isEqualTo(GIB);
        assertThat(VolumeFiles.allocatedBytes(file)).isLessThan(1L << 20);

        assertThat(Tables.records(cinder.cinder("list").ok().stdout()))
                .anySatisfy(row -> {
                    assertThat(row.get("ID")).isEqualTo(id);
                    assertThat(row.get("Status")).isEqualTo("available");
                    assertThat(row.get("Name")).isEqualTo("a");
                });

        cinder.cinder("rename", "a", "b", "--description", "renamed").ok();
        Map<String, String> renamed = show(id);
        assertThat(renamed.get("name")).isEqualTo("b");
        assertThat(renamed.get("description")).isEqualTo("renamed");

        cinder.cinder("metadata", "b", "set", "k1=v1", "k2=v2").ok();
        assertThat(show("b").get("metadata")).contains("k1").contains("v1").contains("k2");
        cinder.cinder("metadata", "b", "unset", "k1").ok();
        assertThat(show("b").get("metadata")).doesNotContain("k1").contains("k2");

        cinder.cinder("delete", "b").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(file));
        await().atMost(Duration.ofSeconds(30)).until(
                () -> Tables.records(cinder.cinder("list").ok().stdout()).stream().noneMatch(r -> id.equals(r.get("ID"))));
        assertThat(cinder.cinder("show", id).exitCode()).isNotZero();
    }

    @Test
    @Order(3)
    void volumeTypesWithExtraSpecsSteerPlacement() throws Exception {
        cinder.cinder("type-create", "gold").ok();
        cinder.cinder("type-key", "gold", "set", "volume_backend_name=file").ok();
        cinder.cinder("type-create", "nowhere").ok();
        cinder.cinder("type-key", "nowhere", "set", "volume_backend_name=no-such-backend").ok();

        List<Map<String, String>> types = Tables.records(cinder.cinder("type-list").ok().stdout());
        assertThat(types).extracting(r -> r.get("Name")).contains("__DEFAULT__", "gold", "nowhere");
        assertThat(Tables.properties(cinder.cinder("type-default").ok().stdout()).values())
                .contains("__DEFAULT__");
        String extraSpecs = cinder.cinder("extra-specs-list").ok().stdout();
        assertThat(extraSpecs).contains("gold").contains("volume_backend_name");

        String goldId = Tables.properties(cinder.cinder("create", "--volume-type", "gold", "--name", "g", "1")
                .ok().stdout()).get("id");
        assertThat(awaitStatus(goldId, "available").get("volume_type")).isEqualTo("gold");
        assertThat(VolumeFiles.of(basalt.volumesDir(), goldId)).exists();

        String nowhereId = Tables.properties(cinder.cinder("create", "--volume-type", "nowhere", "--name", "n", "1")
                .ok().stdout()).get("id");
        awaitStatus(nowhereId, "error");
        assertThat(VolumeFiles.of(basalt.volumesDir(), nowhereId)).doesNotExist();

        cinder.cinder("delete", goldId, nowhereId).ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
        cinder.cinder("type-delete", "nowhere").ok();
    }

    @Test
    @Order(4)
    void zonesAndServices() throws Exception {
        assertThat(cinder.cinder("availability-zone-list").ok().stdout()).contains("nova").contains("available");
        List<Map<String, String>> services = Tables.records(cinder.cinder("service-list").ok().stdout());
        assertThat(services).anySatisfy(s -> {
            assertThat(s.get("Binary")).isEqualTo("cinder-volume");
            assertThat(s.get("Host")).isEqualTo("it-host@file");
            assertThat(s.get("State")).isEqualTo("up");
            assertThat(s.get("Status")).isEqualTo("enabled");
        });
        assertThat(services).anySatisfy(s -> {
            assertThat(s.get("Binary")).isEqualTo("cinder-scheduler");
            assertThat(s.get("State")).isEqualTo("up");
        });
    }

    @Test
    @Order(5)
    void restartFindsEveryVolumeWhereItWas() throws Exception {
        String id = Tables.properties(cinder.cinder("create", "--name", "keep", "2").ok().stdout()).get("id");
        awaitStatus(id, "available");
        basalt.stop();
        assertThat(basalt.log()).contains("stopped");

        basalt.start();
        cinder = basalt.cli("u1", "p1");
        Map<String, String> after = show("keep");
        assertThat(after.get("id")).isEqualTo(id);
        assertThat(after.get("status")).isEqualTo("available");
        assertThat(Files.size(VolumeFiles.of(basalt.volumesDir(), id))).isEqualTo(2 * GIB);
        cinder.cinder("delete", "keep").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
    }
}
