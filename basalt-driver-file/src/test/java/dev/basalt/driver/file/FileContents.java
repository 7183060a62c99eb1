package dev.basalt.driver.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test helpers that look at a file as the host using a volume, or the filesystem, sees it. */
final class FileContents {

    private FileContents() {
    }

    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            channel.force(true);
        }
    }

    static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // keep reading
            }
            return buffer.array();
        }
    }

    /** Whether every byte of the file is zero. */
    static boolean allZero(Path file) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (true) {
                chunk.clear();
                int read = channel.read(chunk, position);
                if (read < 0) {
                    return true;
                }
                chunk.flip();
                zeros.clear().limit(read);
                if (chunk.mismatch(zeros) != -1) {
                    return false;
                }
                position += read;
            }
        }
    }

    /** The bytes the filesystem has allocated to the file ({@code st_blocks × 512}), from stat(1). */
    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "--format=%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (stat.waitFor() != 0) {
            throw new IOException("stat " + file + ": " + out);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    /**
     * Whether any extent of the file is shared with another file (the FIEMAP "shared" flag, as
     * filefrag(8) from e2fsprogs shows it).
     */
    static boolean hasSharedExtents(Path file) throws IOException, InterruptedException {
        String filefrag = Files.isExecutable(Path.of("/usr/sbin/filefrag")) ? "/usr/sbin/filefrag" : "filefrag";
        Process process = new ProcessBuilder(filefrag, "-v", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("filefrag -v " + file + ": " + out.strip());
        }
        return out.lines().anyMatch(line -> line.matches("\\s*\\d+:.*") && line.contains("shared"));
    }
}
