package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.testkit.ContentDigest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real bytes through a real {@code basalt all}: a known pattern is written into a volume's file (as
 * the iSCSI target will write it), the volume is snapshotted and then changed, and the SHA-256 of
 * each whole device is checked: the snapshot holds the bytes of its moment, a volume made from it
 * holds them too (a larger one with zeros after), and a clone holds the volume as it is now.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotDataIntegrityIT {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

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

    /** Waits through the API of the running process, as this test's user. */
    private Statuses statuses() {
        return new Statuses(cli.api(), PATIENCE);
    }

    private static byte[] pattern(long seed, long length) {
        byte[] bytes = new byte[(int) length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes each piece into the volume's file at its offset and flushes it to disk. */
    private static void write(Path file, NavigableMap<Long, byte[]> pieces) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (Map.Entry<Long, byte[]> piece : pieces.entrySet()) {
                ByteBuffer buffer = ByteBuffer.wrap(piece.getValue());
                while (buffer.hasRemaining()) {
                    channel.write(buffer, piece.getKey() + buffer.position());
                }
            }
            channel.force(true);
        }
    }

    @Test
    void snapshotsVolumesFromThemAndClonesHoldExactlyTheExpectedBytes() throws Exception {
        String volume = cinder("create", "--name", "data", "1").get("id");
        statuses().volume(volume, "available");
        Path volumeFile = VolumeFiles.of(basalt.volumesDir(), volume);

        NavigableMap<Long, byte[]> original = new TreeMap<>(Map.of(
                0L, pattern(1, 2 * MIB), 600 * MIB, pattern(2, MIB + 7), GIB - 4096, pattern(3, 4096)));
        write(volumeFile, original);
        String atSnapshot = ContentDigest.ofImage(GIB, original);
        assertThat(ContentDigest.ofFile(volumeFile)).isEqualTo(atSnapshot);

        String snapshot = cinder("snapshot-create", "--name", "data-snap", volume).get("id");
        statuses().snapshot(snapshot, "available");

        NavigableMap<Long, byte[]> changes = new TreeMap<>(Map.of(0L, pattern(4, 2 * MIB), 300 * MIB,
                pattern(5, 3 * MIB)));
        write(volumeFile, changes);
        NavigableMap<Long, byte[]> now = new TreeMap<>(original);
        now.putAll(changes);
        String current = ContentDigest.ofImage(GIB, now);
        assertThat(ContentDigest.ofFile(volumeFile)).isEqualTo(current).isNotEqualTo(atSnapshot);

        assertThat(ContentDigest.ofFile(VolumeFiles.snapshot(basalt.volumesDir(), snapshot)))
                .as("the snapshot holds the volume as it was when taken").isEqualTo(atSnapshot);

        String fromSnapshot = cinder("create", "--snapshot-id", snapshot, "--name", "restored").get("id");
        String larger = cinder("create", "--snapshot-id", snapshot, "--name", "restored-2", "2").get("id");
        String clone = cinder("create", "--source-volid", volume, "--name", "clone").get("id");
        for (String id : new String[] {fromSnapshot, larger, clone}) {
            statuses().volume(id, "available");
        }
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), fromSnapshot))).isEqualTo(atSnapshot);
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), larger)))
                .as("a larger volume holds the snapshot, then zeros").isEqualTo(ContentDigest.ofImage(2 * GIB, original));
        assertThat(ContentDigest.ofFile(VolumeFiles.of(basalt.volumesDir(), clone))).isEqualTo(current);

        write(VolumeFiles.of(basalt.volumesDir(), clone), new TreeMap<>(Map.of(0L, pattern(6, MIB))));
        assertThat(ContentDigest.ofFile(volumeFile)).as("writing a clone leaves its source alone").isEqualTo(current);
        assertThat(ContentDigest.ofFile(VolumeFiles.snapshot(basalt.volumesDir(), snapshot))).isEqualTo(atSnapshot);

        cli.cinder("extend", volume, "2").ok();
        statuses().until(Statuses.Kind.VOLUME, volume, v -> v.path("size").asInt() == 2);
        assertThat(ContentDigest.ofFile(volumeFile)).as("extend keeps the bytes and adds zeros")
                .isEqualTo(ContentDigest.ofImage(2 * GIB, now));

        cli.cinder("delete", "--cascade", volume).ok();
        cli.cinder("delete", fromSnapshot, larger, clone).ok();
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
        assertThat(VolumeFiles.snapshot(basalt.volumesDir(), snapshot)).doesNotExist();
    }
}
