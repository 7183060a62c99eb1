package dev.basalt.rpc;

/**
 * Asks the scheduler to place a volume; everything else it reads from the volume's row.
 *
 * @param backupId the backup the volume is made from, passed on to the volume service in
 *     {@link CreateVolume}; null for any other volume
 * @param image the image the volume is made from, passed on to the volume service; null for others
 *
 * <p>Sent as {@code create_volume} 1.1 when it names a backup or an image (a 1.0 scheduler refuses
 * it rather than drop them); otherwise as 1.0.
 */
public record ScheduleVolume(String volumeId, String requestId, String backupId, ImageSource image) {

    /** A volume made blank, or from the snapshot or source volume its row names. */
    public ScheduleVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null, null);
    }

    /** Whether only a 1.1 scheduler can place it. */
    boolean needsSource() {
        return backupId != null || image != null;
    }
}
