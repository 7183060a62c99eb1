package dev.basalt.rpc;

/**
 * Asks the volume service that owns the volume's host to create its storage.
 *
 * @param backupId the backup the volume is made from (a volume create with {@code backup_id}): the
 *     volume service makes the raw volume, leaves it {@code creating} and has the backup service of
 *     its own host restore the backup into it; null for any other volume. Sent as
 *     {@code create_volume} 1.1 (a 1.0 volume service refuses it rather than make a blank volume);
 *     without it, as 1.0.
 */
public record CreateVolume(String volumeId, String requestId, String backupId) {

    /** A volume made blank, or from the snapshot or source volume its row names. */
    public CreateVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null);
    }
}
