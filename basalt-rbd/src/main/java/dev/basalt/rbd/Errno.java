package dev.basalt.rbd;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux error numbers Ceph's libraries return (negated) that callers tell apart, and the
 * C library's name and text for any error number ({@code strerrorname_np}, {@code strerrordesc_np},
 * glibc 2.32 and later): "ENOENT", "No such file or directory".
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int EINVAL = 22;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int EOPNOTSUPP = 95;
    /** Also Ceph's "client blocklisted". */
    public static final int ESHUTDOWN = 108;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;

    private static final boolean BOUND = bind();

    private Errno() {
    }

    private static boolean bind() {
        try {
            Native.register(Errno.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
            return false;
        }
    }

    private static native Pointer strerrorname_np(int errnum);

    private static native Pointer strerrordesc_np(int errnum);

    /** {@code ENOENT} for 2; {@code errno <n>} when the C library does not know it. */
    public static String name(int errno) {
        Pointer name = BOUND ? strerrorname_np(errno) : null;
        return name == null ? "errno " + errno : name.getString(0);
    }

    /** {@code No such file or directory} for 2; empty when the C library does not know it. */
    public static String description(int errno) {
        Pointer text = BOUND ? strerrordesc_np(errno) : null;
        return text == null ? "" : text.getString(0);
    }
}
