package dev.basalt.driver;

/**
 * A {@link VolumeDriver} that can grow volumes. The contract of {@link VolumeDriver} (thread
 * safety, idempotence, errors, ids) holds for this method too.
 */
public interface ExtendCapable extends VolumeDriver {

    /**
     * Grows the volume to {@code newSizeGib} GiB. Its bytes stay as they were and the new space
     * reads as zeros; thin volumes take no space for it until it is written. Extending to the size
     * the volume already has changes nothing (idempotent). Fails with a
     * {@link VolumeDriverException} when the volume does not exist.
     *
     * @throws IllegalArgumentException when {@code newSizeGib} is smaller than the volume (volumes
     *                                  only grow) or below 1
     */
    void extendVolume(String volumeId, int newSizeGib);
}
