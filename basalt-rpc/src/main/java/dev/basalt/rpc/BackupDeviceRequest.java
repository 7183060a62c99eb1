package dev.basalt.rpc;

/**
 * Asks the volume service that owns a volume where its bytes are on that host, for a backup service
 * running there: the volume's, or the snapshot's when {@code snapshotId} is set.
 *
 * <p>For a backup it may also ask for backup bases (see {@link DropBackupBases}): with
 * {@code keepBase} set, the volume service keeps a point-in-time copy of those bytes under that id
 * (the backup's) where its driver can do so cheaply, by sharing extents, and answers the base's
 * path so the backup reads exactly that point; with {@code parentBase} set, it also answers the path
 * of that earlier base of the volume (the parent backup's) if it still has it. Both may be null.
 */
public record BackupDeviceRequest(String volumeId, String snapshotId, String requestId, String keepBase,
                                  String parentBase) {

    /** Where the bytes are, without bases (a restore, or a backup that wants none). */
    public BackupDeviceRequest(String volumeId, String snapshotId, String requestId) {
        this(volumeId, snapshotId, requestId, null, null);
    }
}
