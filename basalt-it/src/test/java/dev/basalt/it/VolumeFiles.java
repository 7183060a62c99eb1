package dev.basalt.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the file driver left on disk: volume and snapshot files, their sizes and how much they allocate; writing into them. */
public final class VolumeFiles {
    private VolumeFiles() {
    }

    public static Path of(Path dir, String volumeId) {
        return dir.resolve("volume-" + volumeId);
    }

    /** The file driver's file of a snapshot: {@code snapshot-<id>} beside the volumes. */
    public static Path snapshot(Path dir, String snapshotId) {
        return dir.resolve("snapshot-" + snapshotId);
    }

    /** Ids of every {@code volume-<id>} file in the directory. */
    public static Set<String> ids(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("volume-"))
                    .map(n -> n.substring("volume-".length()))
                    .collect(Collectors.toSet());
        }
    }

    /** Writes each piece at its offset (the key) into the file, as a host using the volume would, and fsyncs it. */
    public static void write(Path file, NavigableMap<Long, byte[]> pieces) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (Map.Entry<Long, byte[]> piece : pieces.entrySet()) {
                ByteBuffer buffer = ByteBuffer.wrap(piece.getValue());
                long position = piece.getKey();
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            }
            channel.force(true);
        }
    }

    /**
     * Writes {@code pieces} pieces of {@code pieceBytes} random bytes (from {@code seed}), spread evenly
     * over the file, 16 MiB at a time, and fsyncs it.
     */
    public static void writeRandom(Path file, int pieces, long pieceBytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[16 << 20];
        long stride = Files.size(file) / pieces;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int piece = 0; piece < pieces; piece++) {
                for (long done = 0; done < pieceBytes; done += buffer.length) {
                    random.nextBytes(buffer);
                    ByteBuffer bytes = ByteBuffer.wrap(buffer);
                    long position = piece * stride + done;
                    while (bytes.hasRemaining()) {
                        position += channel.write(bytes, position);
                    }
                }
            }
            channel.force(true);
        }
    }

    /** Bytes the filesystem has allocated to the file (stat's %b × %B). */
    public static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "--format=%b %B", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("stat failed for " + file);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
