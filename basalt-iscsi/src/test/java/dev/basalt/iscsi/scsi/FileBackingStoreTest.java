package dev.basalt.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw file as a logical unit's backing store. */
class FileBackingStoreTest {
    @TempDir
    Path dir;

    private Path file(long size) throws IOException {
        Path f = dir.resolve("disk.raw");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }

    @Test
    void writesLandInTheFileAndReadsPastTheEndAreZeros() throws IOException {
        Path f = file(1 << 20);
        byte[] data = new byte[8192];
        new Random(1).nextBytes(data);
        try (BackingStore store = new BackingFile(f).open(false)) {
            store.write(ByteBuffer.wrap(data), 4096);
            ByteBuffer back = ByteBuffer.allocateDirect(8192);
            store.read(back, 4096);
            assertThat(back.flip()).isEqualTo(ByteBuffer.wrap(data));
            ByteBuffer tail = ByteBuffer.allocate(4096);
            tail.put(0, (byte) 9);
            store.read(tail, (1 << 20) - 1024);
            assertThat(tail.array()).containsOnly(0);
            store.flush();
        }
        assertThat(Files.readAllBytes(f)).startsWith(new byte[4096]).containsSequence(data);
    }

    @Test
    void deallocatedRangesReadAsZerosAndTheSizeFollowsTheFile() throws IOException {
        Path f = file(1 << 20);
        try (BackingStore store = FileBackingStore.open(f, false)) {
            store.write(ByteBuffer.wrap(new byte[65536]).put(0, (byte) 1).put(65535, (byte) 1), 0);
            byte[] ones = new byte[65536];
            java.util.Arrays.fill(ones, (byte) 0x5a);
            store.write(ByteBuffer.wrap(ones), 0);
            if (store.deallocate(0, 65536)) {
                ByteBuffer back = ByteBuffer.allocate(65536);
                store.read(back, 0);
                assertThat(back.array()).containsOnly(0);
            }
            assertThat(store.size()).isEqualTo(1 << 20);
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(2 << 20);
            }
            assertThat(store.size()).isEqualTo(2 << 20);
        }
    }

    @Test
    void aMissingFileCannotBeOpened() {
        assertThatThrownBy(() -> new BackingFile(dir.resolve("nope")).open(false))
                .isInstanceOf(IOException.class).hasMessageContaining("nope");
        assertThat(new BackingFile(dir.resolve("x"))).hasToString(dir.resolve("x").toString());
    }
}
