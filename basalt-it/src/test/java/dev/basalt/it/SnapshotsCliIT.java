package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.ContentDigest;
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
 * Snapshots, clones, extend and the volume actions end to end: a real {@code basalt all} process
 * driven by Debian's {@code cinder} and {@code openstack} clients, checked against the files on
 * disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotsCliIT {
    private static final long GIB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
    }

    private Map<String, String> cinder(String... args) throws Exception {
        return Tables.properties(cli.cinder(args).ok().stdout());
    }

    /** Waits through the API of the running process (a restart changes its port). */
    private Statuses statuses() {
        return new Statuses(new Api(basalt.endpoint(), "u1", "p1"), PATIENCE);
    }

    /** Waits for the volume's status; what {@code cinder show} displays then. */
    private Map<String, String> awaitVolume(String nameOrId, String status) throws Exception {
        statuses().volume(nameOrId, status);
        return cinder("show", nameOrId);
    }

    /** Waits for the snapshot's status; what {@code cinder snapshot-show} displays then. */
    private Map<String, String> awaitSnapshot(String nameOrId, String status) throws Exception {
        statuses().snapshot(nameOrId, status);
        return cinder("snapshot-show", nameOrId);
    }

    private Path volumeFile(String id) {
        return VolumeFiles.of(basalt.volumesDir(), id);
    }

    private Path snapshotFile(String id) {
        return VolumeFiles.snapshot(basalt.volumesDir(), id);
    }

    @Test
    @Order(1)
    void snapshotCreateListShowRenameMetadataDelete() throws Exception {
        String volume = cinder("create", "--name", "src", "1").get("id");
        awaitVolume("src", "available");

        Map<String, String> created = cinder("snapshot-create", "--name", "s1", "--description", "first",
                "--metadata", "k1=v1", "--", "src");
        String id = created.get("id");
        assertThat(created.get("status")).isIn("creating", "available");
        assertThat(created.get("volume_id")).isEqualTo(volume);
        assertThat(created.get("size")).isEqualTo("1");
        assertThat(created.get("user_id")).isEqualTo("u1");

        Map<String, String> shown = awaitSnapshot("s1", "available");
        assertThat(shown.get("os-extended-snapshot-attributes:progress")).isEqualTo("100%");
        assertThat(shown.get("os-extended-snapshot-attributes:project_id")).isEqualTo("p1");
        assertThat(shown.get("metadata")).contains("k1").contains("v1");
        assertThat(Files.size(snapshotFile(id))).isEqualTo(GIB);
        assertThat(Tables.records(cli.cinder("snapshot-list").ok().stdout())).anySatisfy(row -> {
            assertThat(row.get("ID")).isEqualTo(id);
            assertThat(row.get("Volume ID")).isEqualTo(volume);
            assertThat(row.get("Status")).isEqualTo("available");
            assertThat(row.get("Name")).isEqualTo("s1");
        });
        assertThat(Tables.records(cli.cinder("snapshot-list", "--volume-id", volume).ok().stdout())).hasSize(1);

        cli.cinder("snapshot-rename", "s1", "s2", "--description", "renamed").ok();
        Map<String, String> renamed = cinder("snapshot-show", id);
        assertThat(renamed.get("name")).isEqualTo("s2");
        assertThat(renamed.get("description")).isEqualTo("renamed");

        cli.cinder("snapshot-metadata", "s2", "set", "k2=v2").ok();
        Map<String, String> metadata = Tables.properties(cli.cinder("snapshot-metadata-show", "s2").ok().stdout());
        assertThat(metadata).containsEntry("k1", "v1").containsEntry("k2", "v2");
        cli.cinder("snapshot-metadata", "s2", "unset", "k1").ok();
        assertThat(Tables.properties(cli.cinder("snapshot-metadata-show", "s2").ok().stdout()))
                .doesNotContainKey("k1").containsEntry("k2", "v2");

        Cli.Result refused = cli.cinder("delete", "src");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).contains("has 1 snapshot(s)").contains("cascade");
        assertThat(cinder("show", "src").get("status")).isEqualTo("available");

        cli.cinder("snapshot-delete", "s2").ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(snapshotFile(id)));
        statuses().gone(Statuses.Kind.SNAPSHOT, id);
        cli.cinder("delete", "src").ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(volume)));
    }

    @Test
    @Order(2)
    void volumesFromSnapshotsAndClonesThroughCinder() throws Exception {
        String source = cinder("create", "--name", "base", "1").get("id");
        awaitVolume(source, "available");
        cli.cinder("set-bootable", source, "true").ok();
        String snapshot = cinder("snapshot-create", "--name", "base-snap", source).get("id");
        awaitSnapshot(snapshot, "available");

        String same = cinder("create", "--snapshot-id", snapshot, "--name", "from-snap").get("id");
        String larger = cinder("create", "--snapshot-id", snapshot, "--name", "from-snap-3", "3").get("id");
        String clone = cinder("create", "--source-volid", source, "--name", "clone").get("id");
        Map<String, String> fromSnapshot = awaitVolume(same, "available");
        assertThat(fromSnapshot.get("snapshot_id")).isEqualTo(snapshot);
        assertThat(fromSnapshot.get("size")).isEqualTo("1");
        assertThat(fromSnapshot.get("bootable")).isEqualTo("true");
        assertThat(fromSnapshot.get("os-vol-host-attr:host")).isEqualTo("it-host@file#file");
        assertThat(awaitVolume(larger, "available").get("size")).isEqualTo("3");
        assertThat(awaitVolume(clone, "available").get("source_volid")).isEqualTo(source);
        assertThat(Files.size(volumeFile(larger))).isEqualTo(3 * GIB);
        assertThat(Files.size(volumeFile(clone))).isEqualTo(GIB);

        Cli.Result explicitSize = cli.cinder("create", "--snapshot-id", snapshot, "--name", "same-size", "1");
        assertThat(explicitSize.exitCode()).isZero();
        Cli.Result tooSmallClone = cli.cinder("create", "--source-volid", larger, "1");
        assertThat(tooSmallClone.exitCode()).isNotZero();
        assertThat(tooSmallClone.stderr()).contains("cannot be smaller than original volume size 3GB");

        Cli.Result cascade = cli.cinder("delete", "--cascade", source);
        cascade.ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(source)) && !Files.exists(snapshotFile(snapshot)));
        statuses().gone(Statuses.Kind.SNAPSHOT, snapshot);
        assertThat(cinder("show", same).get("status")).as("copies outlive their source").isEqualTo("available");
        for (String id : List.of(same, larger, clone)) {
            cli.cinder("delete", id).ok();
        }
        cli.cinder("delete", Tables.properties(explicitSize.stdout()).get("id")).ok();
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
    }

    @Test
    @Order(3)
    void extendBootableReadonlyResetStateAndForceDeleteThroughCinder() throws Exception {
        String id = cinder("create", "--name", "acts", "1").get("id");
        awaitVolume(id, "available");

        cli.cinder("extend", id, "2").ok();
        assertThat(awaitVolume(id, "available").get("size")).isEqualTo("2");
        assertThat(Files.size(volumeFile(id))).isEqualTo(2 * GIB);
        Cli.Result shrink = cli.cinder("extend", id, "1");
        assertThat(shrink.exitCode()).isNotZero();
        assertThat(shrink.stdout() + shrink.stderr()).contains("New size for extend must be greater than current size");

        cli.cinder("set-bootable", id, "true").ok();
        assertThat(cinder("show", id).get("bootable")).isEqualTo("true");
        cli.cinder("readonly-mode-update", id, "True").ok();
        assertThat(cinder("show", id).get("metadata")).contains("readonly").contains("True");

        cli.cinder("reset-state", "--state", "error", id).ok();
        assertThat(cinder("show", id).get("status")).isEqualTo("error");
        Cli.Result extendInError = cli.cinder("extend", id, "3");
        assertThat(extendInError.exitCode()).isNotZero();
        Cli.Result snapInError = cli.cinder("snapshot-create", id);
        assertThat(snapInError.exitCode()).isNotZero();
        assertThat(snapInError.stderr()).contains("in error status");
        cli.cinder("reset-state", "--state", "extending", id).ok();
        assertThat(cli.cinder("delete", id).exitCode()).as("extending cannot be deleted").isNotZero();
        cli.cinder("force-delete", id).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(id)));

        String other = cinder("create", "--name", "snap-state", "1").get("id");
        awaitVolume(other, "available");
        String snapshot = cinder("snapshot-create", other).get("id");
        awaitSnapshot(snapshot, "available");
        cli.cinder("snapshot-reset-state", "--state", "creating", snapshot).ok();
        assertThat(cli.cinder("snapshot-delete", snapshot).exitCode()).isNotZero();
        cli.cinder("snapshot-delete", "--force", snapshot).ok();
        statuses().gone(Statuses.Kind.SNAPSHOT, snapshot);
        assertThat(snapshotFile(snapshot)).doesNotExist();
        cli.cinder("delete", other).ok();
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
    }

    private JsonNode openstack(String... args) throws Exception {
        return cli.openstackJson(args);
    }

    @Test
    @Order(4)
    void snapshotsThroughOpenstack() throws Exception {
        String volume = openstack("volume", "create", "--size", "1", "os-src").path("id").asText();
        statuses().volume(volume, "available");
        String snapshot = openstack("volume", "snapshot", "create", "--volume", "os-src", "--property", "a=b",
                "os-snap").path("id").asText();
        statuses().snapshot(snapshot, "available");
        assertThat(openstack("volume", "snapshot", "list")).anySatisfy(s ->
                assertThat(s.path("ID").asText()).isEqualTo(snapshot));
        cli.openstack("volume", "snapshot", "set", "--name", "os-snap2", "--description", "d", "--property", "c=d",
                "os-snap").ok();
        JsonNode shown = openstack("volume", "snapshot", "show", "os-snap2");
        assertThat(shown.path("description").asText()).isEqualTo("d");
        assertThat(shown.path("properties").toString()).contains("a").contains("c");

        String fromSnapshot = openstack("volume", "create", "--snapshot", "os-snap2", "--size", "2", "os-from")
                .path("id").asText();
        String clone = openstack("volume", "create", "--source", "os-src", "os-clone").path("id").asText();
        for (String id : List.of(fromSnapshot, clone)) {
            statuses().volume(id, "available");
        }
        assertThat(openstack("volume", "show", fromSnapshot).path("size").asInt()).isEqualTo(2);
        assertThat(Files.size(volumeFile(fromSnapshot))).isEqualTo(2 * GIB);

        cli.openstack("volume", "set", "--size", "3", "os-src").ok();
        statuses().until(Statuses.Kind.VOLUME, volume, v -> v.path("size").asInt() == 3);
        assertThat(openstack("volume", "show", volume).path("size").asInt()).isEqualTo(3);
        cli.openstack("volume", "set", "--bootable", "--read-only", "os-clone").ok();
        JsonNode flagged = openstack("volume", "show", "os-clone");
        assertThat(flagged.path("bootable").asText()).isEqualTo("true");
        assertThat(flagged.path("properties").toString()).contains("readonly");

        Cli.Result refused = cli.openstack("volume", "delete", "os-src");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("has 1 snapshot(s)");
        cli.openstack("volume", "delete", "--purge", "os-src").ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(volume)) && !Files.exists(snapshotFile(snapshot)));
        cli.openstack("volume", "delete", fromSnapshot, clone).ok();
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
        assertThat(openstack("volume", "snapshot", "list")).isEmpty();
    }

    @Test
    @Order(5)
    void snapshotsSurviveARestart() throws Exception {
        String volume = cinder("create", "--name", "keep", "1").get("id");
        awaitVolume(volume, "available");
        String snapshot = cinder("snapshot-create", "--name", "keep-snap", volume).get("id");
        awaitSnapshot(snapshot, "available");
        basalt.stop();
        basalt.start();
        cli = basalt.cli("u1", "p1");
        assertThat(cinder("snapshot-show", snapshot).get("status")).isEqualTo("available");
        assertThat(snapshotFile(snapshot)).exists();
        cli.cinder("delete", "--cascade", volume).ok();
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty()
                && !Files.exists(snapshotFile(snapshot)));
    }

    private static void write(Path file, long offset, byte[] bytes) throws Exception {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            channel.force(true);
        }
    }

    private static byte[] pattern(long seed, int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    @Order(6)
    void revertToTheLatestSnapshotThroughCinder() throws Exception {
        String volume = cinder("create", "--name", "rev", "1").get("id");
        awaitVolume(volume, "available");
        Path file = volumeFile(volume);
        write(file, 0, pattern(1, 1 << 20));
        String older = cinder("snapshot-create", "--name", "rev-older", volume).get("id");
        awaitSnapshot(older, "available");
        write(file, 512L << 20, pattern(2, 1 << 20));
        String latest = cinder("snapshot-create", "--name", "rev-latest", volume).get("id");
        awaitSnapshot(latest, "available");
        String atLatest = ContentDigest.ofFile(file);
        write(file, 0, pattern(3, 2 << 20));
        write(file, GIB - (1 << 20), pattern(4, 1 << 20));
        assertThat(ContentDigest.ofFile(file)).isNotEqualTo(atLatest);

        Cli.Result notLatest = cli.cinder("--os-volume-api-version", "3.40", "revert-to-snapshot", older);
        assertThat(notLatest.exitCode()).isNotZero();
        assertThat(notLatest.stderr()).contains("Specified snapshot " + older + " is None or not the latest one of"
                + " volume " + volume + ".").contains("HTTP 400");
        assertThat(cinder("show", volume).get("status")).isEqualTo("available");

        cli.cinder("--os-volume-api-version", "3.40", "revert-to-snapshot", "rev-latest").ok();

        awaitVolume(volume, "available");
        awaitSnapshot(latest, "available");
        assertThat(ContentDigest.ofFile(file)).isEqualTo(atLatest).isEqualTo(ContentDigest.ofFile(snapshotFile(latest)));
        assertThat(Files.size(file)).isEqualTo(GIB);
        cli.cinder("delete", "--cascade", volume).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(file) && !Files.exists(snapshotFile(latest))
                && !Files.exists(snapshotFile(older)));
    }
}
