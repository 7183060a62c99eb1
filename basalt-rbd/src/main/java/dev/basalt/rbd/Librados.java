package dev.basalt.rbd;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The librados C functions the bindings call (Debian's {@code librados2}), bound once by JNA direct
 * mapping. Out-parameters that are pointers or {@code size_t} are one-element {@code long[]}
 * (64-bit Linux). Returns are 0 or a negative error number unless said otherwise.
 */
final class Librados {
    static final String LIBRARY = "librados.so.2";

    private Librados() {
    }

    static {
        NativeLibraries.register(Librados.class, LIBRARY, "librados2");
    }

    /** Loads the library (or fails with the package to install). */
    static void load() {
        // the static initialiser has run
    }

    static native int rados_create2(long[] cluster, String clusterName, String name, long flags);

    static native int rados_conf_read_file(Pointer cluster, String path);

    static native int rados_conf_set(Pointer cluster, String option, String value);

    static native int rados_connect(Pointer cluster);

    static native void rados_shutdown(Pointer cluster);

    static native int rados_cluster_stat(Pointer cluster, Pointer stats);

    static native int rados_mon_command(Pointer cluster, Pointer commands, long commandCount, Pointer input,
            long inputLength, long[] output, long[] outputLength, long[] status, long[] statusLength);

    static native void rados_buffer_free(Pointer buffer);

    static native int rados_ioctx_create(Pointer cluster, String pool, long[] ioctx);

    static native void rados_ioctx_destroy(Pointer ioctx);

    static native int rados_ioctx_pool_stat(Pointer ioctx, Pointer stats);
}
