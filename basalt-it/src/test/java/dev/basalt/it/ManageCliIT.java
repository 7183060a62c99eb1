package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
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
 * Manage and unmanage end to end: a file put in a running {@code basalt all}'s volume directory is
 * listed by Debian's {@code cinder manageable-list}, adopted by {@code cinder manage} (its bytes kept,
 * grown to whole GiB) and let go by {@code cinder unmanage} (its bytes still in the directory).
 * Debian's {@code openstack} client has no command to manage or unmanage volumes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManageCliIT {
    private static final long GIB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final byte[] PATTERN = "bytes that were here before Basalt".getBytes();

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

    private static void writeAt(Path file, long offset, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static byte[] readAt(Path file, long offset, int length) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        }
    }

    @Test
    void aFileIsListedManagedAndUnmanagedWithItsBytesKept() throws Exception {
        Path legacy = basalt.volumesDir().resolve("legacy.img");
        try (RandomAccessFile file = new RandomAccessFile(legacy.toFile(), "rw")) {
            file.setLength(GIB + GIB / 2);
        }
        writeAt(legacy, GIB + 4096, PATTERN);

        List<Map<String, String>> listed = cli.cinderRecords("--os-volume-api-version", "3.8", "manageable-list",
                "it-host@file");
        assertThat(listed).anySatisfy(row -> {
            assertThat(row.get("reference")).contains("legacy.img");
            assertThat(row.get("size")).isEqualTo("2");
            assertThat(row.get("safe_to_manage")).isEqualTo("True");
        });

        Cli.Result unknownHost = cli.cinder("manage", "nowhere@file", "legacy.img");
        assertThat(unknownHost.exitCode()).isNotZero();
        assertThat(unknownHost.stdout() + unknownHost.stderr()).contains("Host 'nowhere@file' not found");

        Map<String, String> managed = cli.cinderProperties("manage", "--name", "adopted", "it-host@file",
                "legacy.img");
        String id = managed.get("id");
        statuses().volume(id, "available");
        Map<String, String> shown = cli.cinderProperties("show", id);
        assertThat(shown.get("size")).isEqualTo("2");
        assertThat(shown.get("name")).isEqualTo("adopted");
        assertThat(shown.get("os-vol-host-attr:host")).isEqualTo("it-host@file#file");
        Path volumeFile = VolumeFiles.of(basalt.volumesDir(), id);
        assertThat(legacy).doesNotExist();
        assertThat(Files.size(volumeFile)).isEqualTo(2 * GIB);
        assertThat(readAt(volumeFile, GIB + 4096, PATTERN.length)).isEqualTo(PATTERN);

        assertThat(cli.cinderRecords("--os-volume-api-version", "3.8", "manageable-list", "it-host@file"))
                .as("the volume is listed as already managed").anySatisfy(row -> {
                    assertThat(row.get("reference")).contains("volume-" + id);
                    assertThat(row.get("safe_to_manage")).isEqualTo("False");
                    assertThat(row.get("reason_not_safe")).isEqualTo("already managed");
                    assertThat(row.get("cinder_id")).isEqualTo(id);
                });
        Cli.Result again = cli.cinder("manage", "it-host@file", "volume-" + id);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stdout() + again.stderr()).contains("already managed");

        cli.cinder("unmanage", id).ok();
        statuses().gone(Statuses.Kind.VOLUME, id);
        Path kept = basalt.volumesDir().resolve("unmanaged-volume-" + id);
        assertThat(volumeFile).doesNotExist();
        assertThat(readAt(kept, GIB + 4096, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(cli.cinderRecords("--os-volume-api-version", "3.8", "manageable-list", "it-host@file"))
                .anySatisfy(row -> assertThat(row.get("reference")).contains("unmanaged-volume-" + id));
    }
}
