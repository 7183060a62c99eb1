package dev.basalt.backup.posix;

import dev.basalt.backup.ChunkHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * The chunk files of a POSIX repository: {@code chunks/<first two hex digits>/<sha256 hex>}, each
 * the {@link ChunkCodec} form of the chunk's bytes, written atomically. The 256 directories are made
 * when the repository is opened, so a chunk's directory always exists.
 */
final class ChunkFiles {
    private final Path root;

    ChunkFiles(Path root) throws IOException {
        this.root = root;
        boolean created = false;
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 256; i++) {
            Path directory = root.resolve(hex.toHexDigits((byte) i));
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                created = true;
            }
        }
        if (created) {
            AtomicFiles.syncDirectory(root);
        }
    }

    Path path(ChunkHash hash) {
        String hex = hash.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex);
    }

    Path directory(ChunkHash hash) {
        return path(hash).getParent();
    }

    boolean contains(ChunkHash hash) {
        return Files.exists(path(hash));
    }

    /** Stores the encoded chunk atomically through a temporary file; the directory is synced later. */
    void write(ChunkHash hash, byte[] encoded, int length, Path temporary) throws IOException {
        AtomicFiles.write(path(hash), temporary, encoded, length);
    }

    /**
     * Reads the stored chunk into {@code buffer}; returns its length.
     *
     * @throws NoSuchFileException when the chunk is not stored
     * @throws IOException when it is larger than the buffer (so not a chunk this repository wrote)
     */
    int read(ChunkHash hash, byte[] buffer) throws IOException {
        try (FileChannel channel = FileChannel.open(path(hash), StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > buffer.length) {
                throw new IOException("is " + size + " bytes, larger than any chunk of this backup can be");
            }
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, (int) size);
            while (target.hasRemaining()) {
                if (channel.read(target) < 0) {
                    break;
                }
            }
            return target.position();
        }
    }

    boolean delete(ChunkHash hash) throws IOException {
        return Files.deleteIfExists(path(hash));
    }
}
