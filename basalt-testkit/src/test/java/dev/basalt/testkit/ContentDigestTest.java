package dev.basalt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentDigestTest {
    private static final long SIZE = 3L << 20;

    private static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Path file(Path dir, long size, Map<Long, byte[]> writes) throws Exception {
        Path file = dir.resolve("device-" + System.nanoTime());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            for (Map.Entry<Long, byte[]> w : writes.entrySet()) {
                raf.seek(w.getKey());
                raf.write(w.getValue());
            }
        }
        return file;
    }

    @Test
    void aFileAndTheImageItShouldHoldAgreeWithUnalignedWritesAndZerosWritten(@TempDir Path dir) throws Exception {
        TreeMap<Long, byte[]> writes = new TreeMap<>(Map.of(0L, random(1, 5000), 1_000_003L, random(2, 70_000),
                2L << 20, new byte[8192], SIZE - 10, random(3, 10)));
        assertThat(ContentDigest.ofFile(file(dir, SIZE, writes))).isEqualTo(ContentDigest.ofImage(SIZE, writes));
    }

    @Test
    void oneByteOrTheSizeChangesTheDigest(@TempDir Path dir) throws Exception {
        TreeMap<Long, byte[]> writes = new TreeMap<>(Map.of(4096L, random(4, 4096)));
        String digest = ContentDigest.ofFile(file(dir, SIZE, writes));
        TreeMap<Long, byte[]> moved = new TreeMap<>(Map.of(8192L, random(4, 4096)));
        TreeMap<Long, byte[]> changed = new TreeMap<>(Map.of(4096L, random(4, 4096), 100_000L, new byte[] {1}));
        assertThat(ContentDigest.ofFile(file(dir, SIZE, moved))).isNotEqualTo(digest);
        assertThat(ContentDigest.ofFile(file(dir, SIZE, changed))).isNotEqualTo(digest);
        assertThat(ContentDigest.ofFile(file(dir, SIZE + 4096, writes))).isNotEqualTo(digest);
        assertThat(ContentDigest.ofImage(SIZE, new TreeMap<>())).isNotEqualTo(ContentDigest.ofImage(SIZE + 4096, new TreeMap<>()));
    }
}
