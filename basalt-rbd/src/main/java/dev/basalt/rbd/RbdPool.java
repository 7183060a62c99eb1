package dev.basalt.rbd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * One pool opened for RBD ({@code rados_ioctx_t}): its images by name — list, create (format 2),
 * clone, rename, remove, stat — and opening them for I/O ({@link RbdImage}).
 *
 * <p>Thread safety: safe to share between threads (the bindings never change the ioctx's snapshot
 * context or locator, the settings librados says are not thread-safe). {@link #close()} waits for
 * calls in flight and closes the images opened from it first.
 */
public final class RbdPool implements AutoCloseable {
    private final String name;
    private final NativeHandle handle;

    RbdPool(String name, NativeHandle handle) {
        this.name = name;
        this.handle = handle;
    }

    public String name() {
        return name;
    }

    /** The names of the pool's images (not those in its trash), in no particular order. */
    public List<String> list() throws CephException {
        return handle.use(ioctx -> {
            long[] max = {16};
            while (true) {
                try (Memory specs = new Memory(Librbd.IMAGE_SPEC_SIZE * max[0])) {
                    specs.clear();
                    int status = Librbd.rbd_list2(ioctx, specs, max);
                    if (status == -Errno.ERANGE) {
                        continue; // max now says how many there are
                    }
                    CephException.check(status, "rbd_list2", name);
                    try {
                        List<String> names = new ArrayList<>((int) max[0]);
                        for (int i = 0; i < max[0]; i++) {
                            names.add(NativeStructs.string(specs, (long) i * Librbd.IMAGE_SPEC_SIZE + Librbd.IMAGE_SPEC_NAME));
                        }
                        return names;
                    } finally {
                        Librbd.rbd_image_spec_list_cleanup(specs, max[0]);
                    }
                }
            }
        });
    }

    /**
     * Makes a format-2 image of {@code size} bytes; fails with {@code EEXIST} when the name is
     * taken, {@code EDQUOT} past the pool's quota.
     */
    public void create(String image, long size, ImageLayout layout) throws CephException {
        handle.use(ioctx -> CephException.check(Librbd.rbd_create2(ioctx, image, size,
                ImageFeature.mask(layout.features()), new int[] {layout.order()}), "rbd_create2", spec(image)));
    }

    /**
     * Makes {@code child} in {@code childPool}, a copy-on-write clone of {@code parent}'s protected
     * {@code snapshot} (in this pool). Fails with {@code EINVAL} when the snapshot is not protected
     * or the parent lacks layering.
     */
    public void clone(String parent, String snapshot, RbdPool childPool, String child, ImageLayout layout)
            throws CephException {
        String target = spec(parent) + "@" + snapshot + " -> " + childPool.spec(child);
        handle.use(parentIoctx -> childPool.handle.use(childIoctx -> CephException.check(Librbd.rbd_clone(parentIoctx,
                parent, snapshot, childIoctx, child, ImageFeature.mask(layout.features()), new int[] {layout.order()}),
                "rbd_clone", target)));
    }

    /**
     * Removes the image and its data. Fails with {@link CephBusyException} while it has snapshots
     * ({@code ENOTEMPTY}) or another client has it open ({@code EBUSY}), with
     * {@link CephNotFoundException} when there is no such image.
     */
    public void remove(String image) throws CephException {
        handle.use(ioctx -> CephException.check(Librbd.rbd_remove(ioctx, image), "rbd_remove", spec(image)));
    }

    public void rename(String from, String to) throws CephException {
        handle.use(ioctx -> CephException.check(Librbd.rbd_rename(ioctx, from, to), "rbd_rename",
                spec(from) + " -> " + to));
    }

    /** The image's size and layout; {@link CephNotFoundException} when there is no such image. */
    public ImageInfo stat(String image) throws CephException {
        try (RbdImage opened = openReadOnly(image)) {
            return opened.stat();
        }
    }

    /** True when the pool has an image of that name. */
    public boolean exists(String image) throws CephException {
        try (RbdImage ignored = openReadOnly(image)) {
            return true;
        } catch (CephNotFoundException e) {
            return false;
        }
    }

    /** Opens the image for reading and writing. */
    public RbdImage open(String image) throws CephException {
        return open(image, null, false);
    }

    /** Opens the image for reading only (no header watch, so it never keeps the image busy). */
    public RbdImage openReadOnly(String image) throws CephException {
        return open(image, null, true);
    }

    /** Opens the image as it was at {@code snapshot}, read-only (e.g. to read it, or list its clones). */
    public RbdImage openSnapshot(String image, String snapshot) throws CephException {
        return open(image, snapshot, true);
    }

    /** The pool's use as its OSDs count it. */
    public PoolStats stats() throws CephException {
        return handle.use(ioctx -> {
            // rados_pool_stat_t has grown over releases (12 counters, 16 in Ceph 16): room for more
            try (Memory stats = new Memory(32 * Long.BYTES)) {
                stats.clear();
                CephException.check(Librados.rados_ioctx_pool_stat(ioctx, stats), "rados_ioctx_pool_stat", name);
                return new PoolStats(stats.getLong(0), stats.getLong(16), stats.getLong(24), stats.getLong(32),
                        stats.getLong(64), stats.getLong(72) * 1024, stats.getLong(80), stats.getLong(88) * 1024);
            }
        });
    }

    /** Closes the images still open from it, then the pool. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code pool/image}, as the rbd CLI names it. */
    String spec(String image) {
        return name + "/" + image;
    }

    private RbdImage open(String image, String snapshot, boolean readOnly) throws CephException {
        String spec = snapshot == null ? spec(image) : spec(image) + "@" + snapshot;
        return new RbdImage(spec, handle.open(spec, ioctx -> {
            long[] opened = new long[1];
            int status = readOnly ? Librbd.rbd_open_read_only(ioctx, image, opened, snapshot)
                    : Librbd.rbd_open(ioctx, image, opened, snapshot);
            CephException.check(status, readOnly ? "rbd_open_read_only" : "rbd_open", spec);
            return new Pointer(opened[0]);
        }, RbdPool::closeImage));
    }

    private static void closeImage(Pointer image) {
        // an error here (a flush that failed) has nowhere to go: writes that mattered were flushed by the caller
        Librbd.rbd_close(image);
    }
}
