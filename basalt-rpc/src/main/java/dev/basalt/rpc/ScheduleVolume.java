package dev.basalt.rpc;

/**
 * Asks the scheduler to place a volume; everything else it reads from the volume's row.
 *
 * @param image the image the volume is made from, passed on to the volume service; null for others
 */
public record ScheduleVolume(String volumeId, String requestId, ImageSource image) {
    /** A volume not made from an image. */
    public ScheduleVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null);
    }
}
