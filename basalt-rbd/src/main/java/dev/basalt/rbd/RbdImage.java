package dev.basalt.rbd;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An open RBD image ({@code rbd_image_t}), or an image at one of its snapshots (read-only): size,
 * block I/O, discard, snapshots, flatten, its parent and a snapshot's clones, changed extents.
 *
 * <p>Thread safety: librbd serialises what it must inside an image, so reads, writes, discards and
 * flushes from any number of threads at once are safe, and the bindings rely on that (no lock of
 * their own on I/O). As with any block device, concurrent writes to overlapping ranges land in an
 * unspecified order. {@link #close()} waits for calls in flight; calls after it fail with
 * {@link IllegalStateException}. Closing flushes (librbd does): call {@link #flush()} to see a
 * flush's error.
 */
public final class RbdImage implements AutoCloseable {
    private final String spec;
    private final NativeHandle handle;

    RbdImage(String spec, NativeHandle handle) {
        this.spec = spec;
        this.handle = handle;
    }

    /** {@code pool/image} or {@code pool/image@snapshot}. */
    public String spec() {
        return spec;
    }

    public long size() throws CephException {
        return handle.use(image -> {
            long[] size = new long[1];
            CephException.check(Librbd.rbd_get_size(image, size), "rbd_get_size", spec);
            return size[0];
        });
    }

    public ImageInfo stat() throws CephException {
        return handle.use(image -> {
            try (Memory info = new Memory(Librbd.IMAGE_INFO_SIZE)) {
                info.clear();
                CephException.check(Librbd.rbd_stat(image, info, Librbd.IMAGE_INFO_SIZE), "rbd_stat", spec);
                return new ImageInfo(info.getLong(0), info.getLong(8), info.getLong(16),
                        info.getInt(Librbd.IMAGE_INFO_ORDER), NativeStructs.chars(info, Librbd.IMAGE_INFO_PREFIX, 24));
            }
        });
    }

    public Set<ImageFeature> features() throws CephException {
        return handle.use(image -> {
            long[] features = new long[1];
            CephException.check(Librbd.rbd_get_features(image, features), "rbd_get_features", spec);
            return ImageFeature.of(features[0]);
        });
    }

    /** Grows or shrinks the image to {@code size} bytes (shrinking drops the data beyond). */
    public void resize(long size) throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_resize(image, size), "rbd_resize", spec + " to " + size));
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} (direct or heap) and
     * advances its position by what was read; returns that, which is less only at the image's end.
     */
    public int read(long offset, ByteBuffer dst) throws CephException {
        int length = dst.remaining();
        int read;
        if (dst.isDirect()) {
            Pointer at = Native.getDirectBufferPointer(dst).share(dst.position());
            read = readWith(image -> Librbd.rbd_read2(image, offset, length, at, 0), offset, length);
        } else {
            read = read(offset, dst.array(), dst.arrayOffset() + dst.position(), length);
        }
        dst.position(dst.position() + read);
        return read;
    }

    /** Reads up to {@code length} bytes at {@code offset} into {@code dst[from…]}; returns how many (less only at the end). */
    public int read(long offset, byte[] dst, int from, int length) throws CephException {
        java.util.Objects.checkFromIndexSize(from, length, dst.length);
        if (from == 0) {
            return readWith(image -> Librbd.rbd_read2(image, offset, length, dst, 0), offset, length);
        }
        try (Memory buffer = new Memory(Math.max(1, length))) {
            int read = readWith(image -> Librbd.rbd_read2(image, offset, length, buffer, 0), offset, length);
            buffer.read(0, dst, from, read);
            return read;
        }
    }

    /** Writes all of {@code src.remaining()} bytes (direct or heap) at {@code offset}; advances its position. */
    public void write(long offset, ByteBuffer src) throws CephException {
        int length = src.remaining();
        if (src.isDirect()) {
            Pointer at = Native.getDirectBufferPointer(src).share(src.position());
            handle.use(image -> written(Librbd.rbd_write2(image, offset, length, at, 0), offset, length));
        } else {
            write(offset, src.array(), src.arrayOffset() + src.position(), length);
        }
        src.position(src.position() + length);
    }

    /** Writes {@code src[from…from+length)} at {@code offset}. */
    public void write(long offset, byte[] src, int from, int length) throws CephException {
        java.util.Objects.checkFromIndexSize(from, length, src.length);
        if (from == 0) {
            handle.use(image -> written(Librbd.rbd_write2(image, offset, length, src, 0), offset, length));
            return;
        }
        try (Memory buffer = new Memory(Math.max(1, length))) {
            buffer.write(0, src, from, length);
            handle.use(image -> written(Librbd.rbd_write2(image, offset, length, buffer, 0), offset, length));
        }
    }

    /** Waits until every write made so far is stable on the OSDs. */
    public void flush() throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_flush(image), "rbd_flush", spec));
    }

    /**
     * Discards {@code length} bytes at {@code offset}: whole objects in the range are deleted (their
     * space is given back). librbd leaves the edges of a range that are not aligned to its discard
     * granularity ({@code rbd_discard_granularity_bytes}, 64 KiB) as they were: use {@link #zero} where
     * every byte must read as zero afterwards.
     */
    public void discard(long offset, long length) throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_discard(image, offset, length), "rbd_discard",
                range(offset, length)));
    }

    /**
     * Zeroes {@code length} bytes at {@code offset}: every byte reads as zero afterwards; whole objects
     * in the range are deleted (their space is given back) and the rest is overwritten with zeros.
     */
    public void zero(long offset, long length) throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_write_zeroes(image, offset, length, 0, 0),
                "rbd_write_zeroes", range(offset, length)));
    }

    public void createSnapshot(String snapshot) throws CephException {
        snapshotCall("rbd_snap_create", snapshot, Librbd::rbd_snap_create);
    }

    /** Removes a snapshot; {@link CephBusyException} while it is protected. */
    public void removeSnapshot(String snapshot) throws CephException {
        snapshotCall("rbd_snap_remove", snapshot, Librbd::rbd_snap_remove);
    }

    /** Renames a snapshot ({@code rbd_snap_rename}); {@code EEXIST} when {@code to} is taken. */
    public void renameSnapshot(String from, String to) throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_snap_rename(image, from, to), "rbd_snap_rename",
                spec + "@" + from + " -> " + to));
    }

    /** Protects a snapshot, which clones need; {@code EBUSY} if it is already. */
    public void protectSnapshot(String snapshot) throws CephException {
        snapshotCall("rbd_snap_protect", snapshot, Librbd::rbd_snap_protect);
    }

    /** Unprotects a snapshot; {@link CephBusyException} while clones of it exist. */
    public void unprotectSnapshot(String snapshot) throws CephException {
        snapshotCall("rbd_snap_unprotect", snapshot, Librbd::rbd_snap_unprotect);
    }

    /** Makes the image's data what it was at {@code snapshot} again (the snapshot stays). */
    public void rollbackToSnapshot(String snapshot) throws CephException {
        snapshotCall("rbd_snap_rollback", snapshot, Librbd::rbd_snap_rollback);
    }

    public boolean isSnapshotProtected(String snapshot) throws CephException {
        return handle.use(image -> {
            int[] isProtected = new int[1];
            CephException.check(Librbd.rbd_snap_is_protected(image, snapshot, isProtected), "rbd_snap_is_protected",
                    spec + "@" + snapshot);
            return isProtected[0] != 0;
        });
    }

    /** The image's snapshots, oldest first. */
    public List<SnapshotInfo> snapshots() throws CephException {
        return handle.use(image -> {
            int[] max = {8};
            while (true) {
                try (Memory infos = new Memory((long) Librbd.SNAP_INFO_SIZE * max[0])) {
                    infos.clear();
                    int count = Librbd.rbd_snap_list(image, infos, max);
                    if (count == -Errno.ERANGE) {
                        continue; // max now says how much room the list needs
                    }
                    CephException.check(count, "rbd_snap_list", spec);
                    try {
                        List<SnapshotInfo> snapshots = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            long at = (long) i * Librbd.SNAP_INFO_SIZE;
                            snapshots.add(new SnapshotInfo(infos.getLong(at), NativeStructs.string(infos,
                                    at + Librbd.SNAP_INFO_NAME), infos.getLong(at + 8)));
                        }
                        return snapshots;
                    } finally {
                        Librbd.rbd_snap_list_end(infos);
                    }
                }
            }
        });
    }

    /** Copies the parent's data into this clone, which then no longer depends on it. */
    public void flatten() throws CephException {
        handle.use(image -> CephException.check(Librbd.rbd_flatten(image), "rbd_flatten", spec));
    }

    /**
     * The clones of the snapshot this image was opened at ({@link RbdPool#openSnapshot}); for an
     * image opened at its head, the clones of none of its snapshots (empty).
     */
    public List<LinkedImage> children() throws CephException {
        return handle.use(image -> {
            long[] max = {8};
            while (true) {
                try (Memory specs = new Memory(Librbd.LINKED_SPEC_SIZE * max[0])) {
                    specs.clear();
                    int status = Librbd.rbd_list_children3(image, specs, max);
                    if (status == -Errno.ERANGE) {
                        continue;
                    }
                    CephException.check(status, "rbd_list_children3", spec);
                    try {
                        List<LinkedImage> children = new ArrayList<>((int) max[0]);
                        for (int i = 0; i < max[0]; i++) {
                            children.add(linkedImage(specs.share((long) i * Librbd.LINKED_SPEC_SIZE)));
                        }
                        return children;
                    } finally {
                        Librbd.rbd_linked_image_spec_list_cleanup(specs, max[0]);
                    }
                }
            }
        });
    }

    /** The image and snapshot this image is a clone of; empty when it is not a clone (or was flattened). */
    public Optional<ImageParent> parent() throws CephException {
        return handle.use(image -> {
            try (Memory parentImage = new Memory(Librbd.LINKED_SPEC_SIZE);
                    Memory parentSnapshot = new Memory(Librbd.SNAP_SPEC_SIZE)) {
                parentImage.clear();
                parentSnapshot.clear();
                int status = Librbd.rbd_get_parent(image, parentImage, parentSnapshot);
                if (status == -Errno.ENOENT) {
                    return Optional.empty();
                }
                CephException.check(status, "rbd_get_parent", spec);
                try {
                    return Optional.of(new ImageParent(linkedImage(parentImage),
                            NativeStructs.string(parentSnapshot, Librbd.SNAP_SPEC_NAME)));
                } finally {
                    Librbd.rbd_linked_image_spec_cleanup(parentImage);
                    Librbd.rbd_snap_spec_cleanup(parentSnapshot);
                }
            }
        });
    }

    /**
     * Reports to {@code extents}, in order, the ranges of {@code [offset, offset+length)} that
     * changed since {@code fromSnapshot} (null: since the image was created, i.e. all data
     * written). {@code includeParent}: a clone's data inherited from its parent counts as changed.
     * {@code wholeObject}: whole objects rather than exact ranges (fast with the fast-diff feature).
     * An exception thrown by {@code extents} stops the walk and is thrown from here.
     */
    public void diffIterate(String fromSnapshot, long offset, long length, boolean includeParent,
            boolean wholeObject, Consumer<Extent> extents) throws CephException {
        RuntimeException[] thrown = new RuntimeException[1];
        Librbd.DiffCallback callback = (at, size, exists, arg) -> {
            try {
                extents.accept(new Extent(at, size, exists != 0));
                return 0;
            } catch (RuntimeException e) {
                thrown[0] = e;
                return -Errno.ECANCELED;
            }
        };
        int status = handle.use(image -> Librbd.rbd_diff_iterate2(image, fromSnapshot, offset, length,
                (byte) (includeParent ? 1 : 0), (byte) (wholeObject ? 1 : 0), callback, null));
        if (thrown[0] != null) {
            throw thrown[0];
        }
        CephException.check(status, "rbd_diff_iterate2", spec + (fromSnapshot == null ? "" : " since " + fromSnapshot));
    }

    /** The exact ranges of the whole image that changed since {@code fromSnapshot} (null: all data). */
    public List<Extent> changedExtents(String fromSnapshot) throws CephException {
        List<Extent> extents = new ArrayList<>();
        diffIterate(fromSnapshot, 0, size(), false, false, extents::add);
        return extents;
    }

    /** Closes the image (librbd flushes what was written). */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return spec;
    }

    /** A snapshot function: {@code int f(rbd_image_t, const char *snap_name)}. */
    private interface SnapshotFunction {
        int call(Pointer image, String snapshot);
    }

    private void snapshotCall(String call, String snapshot, SnapshotFunction function) throws CephException {
        handle.use(image -> CephException.check(function.call(image, snapshot), call, spec + "@" + snapshot));
    }

    /** An rbd_read2 call on the image: the bytes read or a negative error number. */
    private interface ReadFunction {
        long call(Pointer image);
    }

    private int readWith(ReadFunction read, long offset, int length) throws CephException {
        long status = handle.use(image -> read.call(image));
        return (int) CephException.check(status, "rbd_read2", range(offset, length));
    }

    private long written(long status, long offset, int length) throws CephException {
        CephException.check(status, "rbd_write2", range(offset, length));
        if (status != length) {
            throw CephException.of("rbd_write2", range(offset, length), -Errno.EIO, "wrote " + status + " bytes");
        }
        return status;
    }

    private String range(long offset, long length) {
        return spec + " [" + offset + ", +" + length + ")";
    }

    private static LinkedImage linkedImage(Pointer spec) {
        return new LinkedImage(spec.getLong(0), NativeStructs.string(spec, Librbd.LINKED_SPEC_POOL_NAME),
                NativeStructs.string(spec, Librbd.LINKED_SPEC_NAMESPACE),
                NativeStructs.string(spec, Librbd.LINKED_SPEC_IMAGE_ID),
                NativeStructs.string(spec, Librbd.LINKED_SPEC_IMAGE_NAME),
                spec.getByte(Librbd.LINKED_SPEC_TRASH) != 0);
    }
}
