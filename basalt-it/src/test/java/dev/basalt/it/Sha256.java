package dev.basalt.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A whole device's content as one SHA-256: of a file on disk, and of what a device should hold.
 * Two devices have the same value exactly when they have the same size and the same bytes. The
 * digest covers the size and every 4 KiB block that is not all zeros, with its offset; blocks of
 * zeros (holes included) only count through their absence, so a 1 GiB volume holding a few MiB
 * costs a read of 1 GiB and a hash of a few MiB — sha256sum over the same file hashed the whole
 * GiB and took seconds. The file is read end to end with plain reads, never through Basalt's own
 * code (no SEEK_DATA), so a volume's bytes are checked independently of how Basalt found them.
 */
public final class Sha256 {
    static final int BLOCK = 4096;
    private static final int READ = 1 << 20;
    private static final byte[] ZEROS = new byte[BLOCK];

    private Sha256() {
    }

    /** The digest of the file's content, read end to end. */
    public static String of(Path file) throws IOException {
        Digest digest = new Digest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(READ);
            long position = 0;
            while (true) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        break;
                    }
                }
                int read = buffer.position();
                for (int at = 0; at < read; at += BLOCK) {
                    digest.block(position + at, buffer.array(), at, Math.min(BLOCK, read - at));
                }
                position += read;
                if (read < READ) {
                    return digest.finish(position);
                }
            }
        }
    }

    /**
     * The digest of {@code size} bytes that hold each of {@code writes} (offset → bytes, not
     * overlapping) and zeros everywhere else.
     */
    public static String ofImage(long size, NavigableMap<Long, byte[]> writes) {
        TreeMap<Long, byte[]> blocks = new TreeMap<>();
        long end = 0;
        for (Map.Entry<Long, byte[]> write : writes.entrySet()) {
            long offset = write.getKey();
            byte[] bytes = write.getValue();
            if (offset < end) {
                throw new IllegalArgumentException("overlapping writes at " + offset);
            }
            end = offset + bytes.length;
            for (int done = 0; done < bytes.length;) {
                long at = offset + done;
                long blockStart = at - at % BLOCK;
                int within = (int) (at - blockStart);
                int length = Math.min(BLOCK - within, bytes.length - done);
                System.arraycopy(bytes, done, blocks.computeIfAbsent(blockStart, b -> new byte[BLOCK]), within, length);
                done += length;
            }
        }
        Digest digest = new Digest();
        blocks.forEach((start, block) -> digest.block(start, block, 0, (int) Math.min(BLOCK, size - start)));
        return digest.finish(size);
    }

    /** SHA-256 over (offset, bytes) of each non-zero block in ascending order, then the size. */
    private static final class Digest {
        private final MessageDigest sha;
        private final ByteBuffer longs = ByteBuffer.allocate(Long.BYTES);

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void block(long offset, byte[] bytes, int from, int length) {
            if (length <= 0 || Arrays.mismatch(bytes, from, from + length, ZEROS, 0, length) < 0) {
                return;
            }
            putLong(offset);
            sha.update(bytes, from, length);
        }

        String finish(long size) {
            putLong(size);
            return HexFormat.of().formatHex(sha.digest());
        }

        private void putLong(long value) {
            sha.update(longs.clear().putLong(value).array());
        }
    }
}
