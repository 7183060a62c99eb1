package dev.basalt.rbd;

import java.io.IOException;

/**
 * A call into librados or librbd failed: the message names the call, what it was made on (pool,
 * image, snapshot) and the error ({@code EBUSY (Device or resource busy)}). {@link #errno()} is the
 * (positive) error number; {@link CephNotFoundException} and {@link CephBusyException} are the
 * cases a caller most often handles on their own.
 */
public class CephException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String target;
    private final int errno;

    protected CephException(String call, String target, int errno, String detail) {
        super(call + "(" + target + ") failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    /**
     * The exception for {@code status} (a negative error number, as the libraries return it; the
     * sign is ignored) returned by {@code call} on {@code target}.
     */
    public static CephException of(String call, String target, int status) {
        return of(call, target, status, null);
    }

    /** As {@link #of(String, String, int)}, with what the cluster said about it ({@code detail}). */
    public static CephException of(String call, String target, int status, String detail) {
        int errno = Math.abs(status);
        return switch (errno) {
            case Errno.ENOENT -> new CephNotFoundException(call, target, detail);
            case Errno.EBUSY, Errno.ENOTEMPTY -> new CephBusyException(call, target, errno, detail);
            default -> new CephException(call, target, errno, detail);
        };
    }

    /** Returns {@code status} when it is not negative; otherwise throws the exception for it. */
    static long check(long status, String call, String target) throws CephException {
        if (status < 0) {
            throw of(call, target, (int) status);
        }
        return status;
    }

    /** The library function that failed, e.g. {@code rbd_remove}. */
    public String call() {
        return call;
    }

    /** What it was called on, e.g. {@code rbd/volume-1} or {@code rbd/volume-1@snap}. */
    public String target() {
        return target;
    }

    /** The error number, positive ({@link Errno#ENOENT}, {@link Errno#ETIMEDOUT}, …). */
    public int errno() {
        return errno;
    }

    /** The error's name, e.g. {@code ETIMEDOUT}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
