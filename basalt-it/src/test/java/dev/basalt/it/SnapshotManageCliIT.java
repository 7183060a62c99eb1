package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshot manage and unmanage end to end: a copy of a volume's file put beside it as
 * {@code volume-<id>.<name>} (a snapshot taken outside Basalt) is listed by Debian's
 * {@code cinder snapshot-manageable-list}, adopted by {@code cinder snapshot-manage} (its bytes
 * kept, the volume's own untouched) and let go by {@code cinder snapshot-unmanage} (its bytes still
 * in the directory, listed again). Debian's {@code openstack} client has no command for these.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotManageCliIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long OFFSET = 4096;
    private static final byte[] BEFORE = "bytes of the snapshot taken before".getBytes();
    private static final byte[] AFTER = "bytes the volume holds afterwards".getBytes();

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
    }

    private Statuses statuses() {
        return new Statuses(new Api(basalt.endpoint(), "u1", "p1"), PATIENCE);
    }

    private static void writeAt(Path file, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), OFFSET);
        }
    }

    private static byte[] readAt(Path file, int length) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, OFFSET);
            return buffer.array();
        }
    }

    private List<Map<String, String>> manageable() throws Exception {
        return cli.cinderRecords("--os-volume-api-version", "3.8", "snapshot-manageable-list", "--detailed", "True",
                "it-host@file");
    }

    @Test
    void aSnapshotFileIsListedManagedAndUnmanagedWithItsBytesKept() throws Exception {
        String volume = cli.cinderProperties("create", "--name", "origin", "1").get("id");
        statuses().volume(volume, "available");
        Path volumeFile = VolumeFiles.of(basalt.volumesDir(), volume);
        writeAt(volumeFile, BEFORE);
        String reference = "volume-" + volume + ".legacy";
        Path legacy = basalt.volumesDir().resolve(reference);
        Files.copy(volumeFile, legacy);
        writeAt(volumeFile, AFTER);

        assertThat(manageable()).anySatisfy(row -> {
            assertThat(row.get("reference")).contains(reference);
            assertThat(row.get("size")).isEqualTo("1");
            assertThat(row.get("safe_to_manage")).isEqualTo("True");
            assertThat(row.get("source_reference")).contains("volume-" + volume);
        });

        Map<String, String> managed = cli.cinderProperties("snapshot-manage", "--name", "adopted", volume, reference);
        String id = managed.get("id");
        statuses().snapshot(id, "available");
        Map<String, String> shown = cli.cinderProperties("snapshot-show", id);
        assertThat(shown.get("name")).isEqualTo("adopted");
        assertThat(shown.get("volume_id")).isEqualTo(volume);
        assertThat(shown.get("size")).isEqualTo("1");
        Path snapshotFile = VolumeFiles.snapshot(basalt.volumesDir(), id);
        assertThat(legacy).doesNotExist();
        assertThat(readAt(snapshotFile, BEFORE.length)).isEqualTo(BEFORE);
        assertThat(readAt(volumeFile, AFTER.length)).as("the volume's own bytes").isEqualTo(AFTER);
        assertThat(manageable()).as("listed as already managed").anySatisfy(row -> {
            assertThat(row.get("reference")).contains("snapshot-" + id);
            assertThat(row.get("safe_to_manage")).isEqualTo("False");
            assertThat(row.get("reason_not_safe")).isEqualTo("already managed");
            assertThat(row.get("cinder_id")).isEqualTo(id);
        });

        cli.cinder("snapshot-unmanage", id).ok();
        statuses().gone(Statuses.Kind.SNAPSHOT, id);
        Path kept = basalt.volumesDir().resolve("volume-" + volume + ".snapshot-" + id);
        assertThat(snapshotFile).doesNotExist();
        assertThat(readAt(kept, BEFORE.length)).isEqualTo(BEFORE);
        assertThat(manageable()).anySatisfy(row -> {
            assertThat(row.get("reference")).contains("volume-" + volume + ".snapshot-" + id);
            assertThat(row.get("safe_to_manage")).isEqualTo("True");
        });
    }
}
