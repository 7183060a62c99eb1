package dev.basalt.rbd;

/**
 * EBUSY or ENOTEMPTY: the image or snapshot is in use, so it is left as it was — an image with
 * snapshots, a snapshot with clones, an image another client has open (watchers).
 */
public final class CephBusyException extends CephException {
    private static final long serialVersionUID = 1L;

    CephBusyException(String call, String target, int errno, String detail) {
        super(call, target, errno, detail);
    }
}
