package dev.basalt.rbd;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * The librbd C functions the bindings call (Debian's {@code librbd1}), bound once by JNA direct
 * mapping; structures are read at their offsets on 64-bit Linux ({@code librbd.h} of Ceph 16).
 * Out-parameters that are pointers or {@code size_t} are one-element {@code long[]}. Returns are 0
 * or a negative error number unless said otherwise.
 */
final class Librbd {
    static final String LIBRARY = "librbd.so.1";

    /** {@code rbd_image_spec_t}: {@code char *id; char *name}. */
    static final int IMAGE_SPEC_SIZE = 16;
    static final int IMAGE_SPEC_NAME = 8;
    /** {@code rbd_linked_image_spec_t}: pool id, pool name, namespace, image id, image name, trash. */
    static final int LINKED_SPEC_SIZE = 48;
    static final int LINKED_SPEC_POOL_NAME = 8;
    static final int LINKED_SPEC_NAMESPACE = 16;
    static final int LINKED_SPEC_IMAGE_ID = 24;
    static final int LINKED_SPEC_IMAGE_NAME = 32;
    static final int LINKED_SPEC_TRASH = 40;
    /** {@code rbd_snap_spec_t}: id, namespace type, name. */
    static final int SNAP_SPEC_SIZE = 24;
    static final int SNAP_SPEC_NAME = 16;
    /** {@code rbd_snap_info_t}: id, size, name. */
    static final int SNAP_INFO_SIZE = 24;
    static final int SNAP_INFO_NAME = 16;
    /** {@code rbd_image_info_t}: size, obj_size, num_objs, order, block_name_prefix[24], parent_pool, parent_name[96]. */
    static final int IMAGE_INFO_SIZE = 160;
    static final int IMAGE_INFO_ORDER = 24;
    static final int IMAGE_INFO_PREFIX = 28;

    private Librbd() {
    }

    static {
        Librados.load();
        NativeLibraries.register(Librbd.class, LIBRARY, "librbd1");
    }

    /** {@code int (*)(uint64_t offset, size_t length, int exists, void *arg)} of rbd_diff_iterate2. */
    interface DiffCallback extends Callback {
        int invoke(long offset, long length, int exists, Pointer arg);
    }

    static native int rbd_list2(Pointer ioctx, Pointer images, long[] maxImages);

    static native void rbd_image_spec_list_cleanup(Pointer images, long count);

    static native int rbd_create2(Pointer ioctx, String name, long size, long features, int[] order);

    static native int rbd_clone(Pointer parentIoctx, String parentName, String parentSnapshot, Pointer childIoctx,
            String childName, long features, int[] childOrder);

    static native int rbd_remove(Pointer ioctx, String name);

    static native int rbd_rename(Pointer ioctx, String from, String to);

    static native int rbd_open(Pointer ioctx, String name, long[] image, String snapshot);

    static native int rbd_open_read_only(Pointer ioctx, String name, long[] image, String snapshot);

    static native int rbd_close(Pointer image);

    static native int rbd_stat(Pointer image, Pointer info, long infoSize);

    static native int rbd_get_size(Pointer image, long[] size);

    static native int rbd_get_features(Pointer image, long[] features);

    static native int rbd_resize(Pointer image, long size);

    /** Returns the bytes read or a negative error number. */
    static native long rbd_read2(Pointer image, long offset, long length, Pointer buffer, int flags);

    /** Returns the bytes read or a negative error number. */
    static native long rbd_read2(Pointer image, long offset, long length, byte[] buffer, int flags);

    /** Returns the bytes written or a negative error number. */
    static native long rbd_write2(Pointer image, long offset, long length, Pointer buffer, int flags);

    /** Returns the bytes written or a negative error number. */
    static native long rbd_write2(Pointer image, long offset, long length, byte[] buffer, int flags);

    static native int rbd_flush(Pointer image);

    /** Returns the bytes discarded or a negative error number. */
    static native int rbd_discard(Pointer image, long offset, long length);

    /** Returns the bytes zeroed or a negative error number ({@code zero_flags} and {@code op_flags} 0: plain zeroing). */
    static native long rbd_write_zeroes(Pointer image, long offset, long length, int zeroFlags, int opFlags);

    static native int rbd_snap_create(Pointer image, String name);

    static native int rbd_snap_remove(Pointer image, String name);

    static native int rbd_snap_rename(Pointer image, String from, String to);

    static native int rbd_snap_protect(Pointer image, String name);

    static native int rbd_snap_unprotect(Pointer image, String name);

    static native int rbd_snap_is_protected(Pointer image, String name, int[] isProtected);

    static native int rbd_snap_rollback(Pointer image, String name);

    /** Returns the number of snapshots or a negative error number. */
    static native int rbd_snap_list(Pointer image, Pointer snapshots, int[] maxSnapshots);

    static native void rbd_snap_list_end(Pointer snapshots);

    static native int rbd_flatten(Pointer image);

    static native int rbd_list_children3(Pointer image, Pointer children, long[] maxChildren);

    static native void rbd_linked_image_spec_list_cleanup(Pointer images, long count);

    static native int rbd_get_parent(Pointer image, Pointer parentImage, Pointer parentSnapshot);

    static native void rbd_linked_image_spec_cleanup(Pointer image);

    static native void rbd_snap_spec_cleanup(Pointer snapshot);

    static native int rbd_diff_iterate2(Pointer image, String fromSnapshot, long offset, long length,
            byte includeParent, byte wholeObject, DiffCallback callback, Pointer arg);
}
