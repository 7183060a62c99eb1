package dev.basalt.rpc;

/**
 * Where a volume's (or snapshot's) bytes are on the volume service's host: a file or block device a
 * backup service on the same host reads and writes directly. {@code host} is the host it is on.
 *
 * @param keptBase whether {@code path} is a backup base kept as the request asked (a point-in-time
 *     copy that shares extents with the volume), not the volume's own bytes
 * @param parentBasePath the path of the base the request named as {@code parentBase}, or null when
 *     none was asked for or the volume service does not have it
 */
public record BackupDevice(String host, String path, long sizeBytes, boolean keptBase, String parentBasePath) {

    /** The volume's (or snapshot's) own bytes, no base. */
    public BackupDevice(String host, String path, long sizeBytes) {
        this(host, path, sizeBytes, false, null);
    }
}
