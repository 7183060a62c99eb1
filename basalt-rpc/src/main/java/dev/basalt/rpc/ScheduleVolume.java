package dev.basalt.rpc;

/**
 * Asks the scheduler to place a volume; everything else it reads from the volume's row.
 *
 * @param backupId the backup the volume is made from, passed on to the volume service in
 *     {@link CreateVolume}; null for any other volume. Sent as {@code create_volume} 1.1 (a 1.0
 *     scheduler refuses it rather than drop the backup); without it, as 1.0.
 */
public record ScheduleVolume(String volumeId, String requestId, String backupId) {

    /** A volume made blank, or from the snapshot or source volume its row names. */
    public ScheduleVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null);
    }
}
