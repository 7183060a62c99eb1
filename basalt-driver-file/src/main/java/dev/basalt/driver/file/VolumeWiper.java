package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes the start of a volume file unreadable before it is deleted: punches a hole over it (the data
 * is deallocated, reads return zeros, the space is released) or, where the filesystem cannot punch
 * holes, overwrites with zeros every block that is not already zero (so that holes of a sparse file
 * stay holes). Then fsyncs the file, so the wipe is on disk before the name goes away.
 */
final class VolumeWiper {
    /** How a wipe was done. */
    enum Method { PUNCH_HOLE, ZERO_WRITE }

    private static final int CHUNK = 1 << 20;

    private final Fallocate fallocate;

    VolumeWiper(Fallocate fallocate) {
        this.fallocate = requireNonNull(fallocate, "fallocate");
    }

    /** Wipes the first {@code length} bytes of the file. */
    Method wipe(Path file, long length) throws IOException {
        if (length <= 0) {
            throw new IllegalArgumentException("nothing to wipe: length " + length);
        }
        if (fallocate.punchHole(file, 0, length)) {
            FileSync.file(file);
            return Method.PUNCH_HOLE;
        }
        overwriteWithZeros(file, length);
        return Method.ZERO_WRITE;
    }

    private static void overwriteWithZeros(Path file, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = Math.min(length, channel.size());
            for (long position = 0; position < end; position += CHUNK) {
                int size = (int) Math.min(CHUNK, end - position);
                chunk.clear().limit(size);
                readFully(channel, chunk, position);
                chunk.flip();
                zeros.clear().limit(size);
                if (chunk.mismatch(zeros) != -1) {
                    writeFully(channel, zeros, position);
                }
            }
            channel.force(true);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break; // the file got shorter: nothing more to wipe
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }
}
