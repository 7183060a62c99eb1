package dev.basalt.testkit;

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
 * A whole device's content as one SHA-256, in hex: two devices have the same digest exactly when
 * they have the same size and the same bytes. The digest covers every 4 KiB block that is not all
 * zeros, with its offset, then the size; blocks of zeros (holes included) count only through their
 * absence. So a 1 GiB volume holding a few MiB costs a read of 1 GiB and a hash of a few MiB, where
 * sha256sum over the same file hashed the whole GiB and took seconds. Files are read end to end
 * with plain reads (never SEEK_DATA), so bytes are checked independently of how Basalt finds them.
 *
 * <p>Feed it bytes in ascending offsets, each piece starting on a block boundary, then {@link #finish}.
 */
public final class ContentDigest {
    public static final int BLOCK = 4096;
    private static final int READ = 1 << 20;
    private static final byte[] ZEROS = new byte[BLOCK];

    private final MessageDigest sha;
    private final ByteBuffer longs = ByteBuffer.allocate(Long.BYTES);

    public ContentDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Takes {@code length} bytes of the device at {@code offset}, a multiple of {@link #BLOCK}. */
    public ContentDigest update(long offset, byte[] bytes, int from, int length) {
        if (offset % BLOCK != 0) {
            throw new IllegalArgumentException("a piece starts on a block boundary, not at " + offset);
        }
        for (int at = 0; at < length; at += BLOCK) {
            int n = Math.min(BLOCK, length - at);
            if (Arrays.mismatch(bytes, from + at, from + at + n, ZEROS, 0, n) >= 0) {
                putLong(offset + at);
                sha.update(bytes, from + at, n);
            }
        }
        return this;
    }

    /** The digest of a device of {@code size} bytes that held what {@link #update} took and zeros elsewhere. */
    public String finish(long size) {
        putLong(size);
        return HexFormat.of().formatHex(sha.digest());
    }

    private void putLong(long value) {
        sha.update(longs.clear().putLong(value).array());
    }

    /** The digest of the file's content, read end to end. */
    public static String ofFile(Path file) throws IOException {
        ContentDigest digest = new ContentDigest();
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
                digest.update(position, buffer.array(), 0, read);
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
        ContentDigest digest = new ContentDigest();
        blocks.forEach((start, block) -> digest.update(start, block, 0, (int) Math.max(0, Math.min(BLOCK, size - start))));
        return digest.finish(size);
    }
}
