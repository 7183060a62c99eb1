package dev.basalt.rpc;

/**
 * Asks the volume service that owns the volume's host to create its storage.
 *
 * @param backupId the backup the volume is made from (a volume create with {@code backup_id}): the
 *     volume service makes the raw volume, leaves it {@code creating} and has the backup service of
 *     its own host restore the backup into it; null for any other volume
 * @param image the image to fill it from; null for any other volume
 *
 * <p>Sent as {@code create_volume} 1.1 when it names a backup or an image (a 1.0 volume service
 * refuses it rather than make a blank volume); otherwise as 1.0.
 */
public record CreateVolume(String volumeId, String requestId, String backupId, ImageSource image) {

    /** A volume made blank, or from the snapshot or source volume its row names. */
    public CreateVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null, null);
    }

    /** Whether only a 1.1 volume service can create it. */
    boolean needsSource() {
        return backupId != null || image != null;
    }
}
