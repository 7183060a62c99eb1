package dev.basalt.driver.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync(2) of a file or a directory, so that data, sizes and names survive a crash. */
final class FileSync {

    private FileSync() {
    }

    static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes a create, rename or unlink in the directory durable (Linux allows fsync on a directory opened for reading). */
    static void directory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
