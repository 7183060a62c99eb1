package dev.basalt.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.backup.file.FileBlockSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test volumes as sparse files: made, filled, compared (by their data ranges, so sparse terabytes compare quickly). */
public final class Volumes {

    private Volumes() {
    }

    /** A sparse file of the size, reading as zeros. */
    public static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    /** Writes seeded random bytes at the offset. */
    public static void writeRandom(Path file, long offset, int length, long seed) throws IOException {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        write(file, offset, bytes);
    }

    /**
     * A copy of {@code source} at {@code target} (new) that shares its extents where the filesystem
     * can (JDK 25's transferTo is copy_file_range, a reflink on XFS and btrfs), as a snapshot is.
     */
    public static Path reflink(Path source, Path target) throws IOException {
        try (FileChannel from = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel to = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = from.size();
            long done = 0;
            while (done < size) {
                done += from.transferTo(done, size - done, to);
            }
        }
        return target;
    }

    /** Writes explicit zeros (allocating blocks, unlike a hole). */
    public static void writeZeros(Path file, long offset, int length) throws IOException {
        write(file, offset, new byte[length]);
    }

    public static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = offset;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        }
    }

    /** Asserts both files have the same size and bytes (comparing where either has data; holes read as zeros). */
    public static void assertSameContent(Path expected, Path actual) throws IOException {
        assertThat(Files.size(actual)).as("size of %s", actual).isEqualTo(Files.size(expected));
        List<ByteRange> ranges = new ArrayList<>();
        try (FileBlockSource a = FileBlockSource.open(expected); FileBlockSource b = FileBlockSource.open(actual)) {
            ranges.addAll(a.dataRanges());
            ranges.addAll(b.dataRanges());
            byte[] x = new byte[1 << 20];
            byte[] y = new byte[1 << 20];
            for (ByteRange range : ranges) {
                for (long at = range.offset(); at < range.end(); at += x.length) {
                    int n = (int) Math.min(x.length, range.end() - at);
                    a.read(at, ByteBuffer.wrap(x, 0, n));
                    b.read(at, ByteBuffer.wrap(y, 0, n));
                    if (Arrays.mismatch(x, 0, n, y, 0, n) >= 0) {
                        throw new AssertionError(actual + " differs from " + expected + " near offset "
                                + (at + Arrays.mismatch(x, 0, n, y, 0, n)));
                    }
                }
            }
        }
    }

    /** Bytes the file has allocated on disk ({@code stat %b × %B}). */
    public static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as("stat: %s", out).isZero();
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
