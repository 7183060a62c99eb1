package dev.basalt.rbd;

/** ENOENT: the image, snapshot or pool named does not exist (or no longer does). */
public final class CephNotFoundException extends CephException {
    private static final long serialVersionUID = 1L;

    CephNotFoundException(String call, String target, String detail) {
        super(call, target, Errno.ENOENT, detail);
    }
}
