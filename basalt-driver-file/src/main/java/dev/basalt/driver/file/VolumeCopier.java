package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a volume or snapshot file into a new file: a whole-file reflink where the filesystem can
 * share extents (one step, milliseconds whatever the size), else a {@link SparseCopy} of the data
 * ranges. Whether the volume directory can share extents is learnt once by {@link #probe}.
 */
final class VolumeCopier {
    /** How a copy was made. */
    enum Method { REFLINK, DATA_COPY }

    private static final int PROBE_BYTES = 64 * 1024;

    private final Reflink reflink;
    private final SparseCopy sparseCopy;
    private volatile boolean sharesExtents;

    VolumeCopier(Reflink reflink, SparseCopy sparseCopy) {
        this.reflink = requireNonNull(reflink, "reflink");
        this.sparseCopy = requireNonNull(sparseCopy, "sparseCopy");
    }

    /**
     * Learns whether files in the directory of the two scratch paths can share extents, by writing
     * a small file at {@code source} and reflinking it to {@code target}. Both files are left for the
     * caller to remove.
     */
    boolean probe(Path source, Path target) throws IOException {
        // larger than the few KiB btrfs may keep inline in the metadata, which is never shared
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(PROBE_BYTES);
            for (int i = 0; i < PROBE_BYTES; i++) {
                bytes.put((byte) (i % 251 + 1));
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.createFile(target);
        sharesExtents = reflink.cloneFile(source, target) && Files.size(target) == PROBE_BYTES;
        return sharesExtents;
    }

    /** Whether copies share extents with their source (as {@link #probe} found). */
    boolean sharesExtents() {
        return sharesExtents;
    }

    /**
     * Makes {@code target} (an existing, empty file) share all the extents of {@code source} and
     * fsyncs it; false, with nothing changed, where the directory cannot share extents: never a copy.
     */
    boolean reflink(Path source, Path target) throws IOException {
        if (!sharesExtents || !reflink.cloneFile(source, target)) {
            return false;
        }
        FileSync.file(target);
        return true;
    }

    /**
     * Copies {@code source} into {@code target} (an existing, empty file), which then holds the same
     * bytes and has the same size, and fsyncs it.
     */
    Method copy(Path source, Path target) throws IOException {
        Method method = Method.DATA_COPY;
        if (sharesExtents && reflink.cloneFile(source, target)) {
            method = Method.REFLINK;
        } else {
            sparseCopy.copy(source, target);
        }
        FileSync.file(target);
        return method;
    }
}
