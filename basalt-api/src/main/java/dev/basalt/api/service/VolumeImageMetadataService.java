package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Volume;
import java.util.Map;

/**
 * Cinder's rules for the image metadata of a volume ({@code volume_image_metadata}): a volume without
 * any has none to show or remove (404); a key that is not there cannot be removed (404); nothing
 * changes while the volume is in {@link MetadataFreeze#STATUSES} (400); setting adds or overwrites
 * keys, also on a volume not made from an image.
 */
public final class VolumeImageMetadataService {
    private final VolumeImageMetadata metadata;
    private final VolumeRepository volumes;

    /**
     * @param metadata the image metadata table
     * @param volumes the volumes, read again to say why a change lost a race
     */
    public VolumeImageMetadataService(VolumeImageMetadata metadata, VolumeRepository volumes) {
        this.metadata = requireNonNull(metadata, "metadata");
        this.volumes = requireNonNull(volumes, "volumes");
    }

    /** The volume's image metadata; a 404 when it has none. */
    public Map<String, String> show(Volume volume) {
        Map<String, String> shown = metadata.of(volume.id());
        if (shown.isEmpty()) {
            throw notFound(volume.id());
        }
        return shown;
    }

    /** Adds or overwrites keys; the volume's whole image metadata afterwards. */
    public Map<String, String> set(Volume volume, Map<String, String> changes) {
        MetadataFreeze.checkUpdatable(volume);
        return metadata.merge(volume.id(), changes, MetadataFreeze.STATUSES).orElseThrow(() -> {
            MetadataFreeze.checkUpdatable(current(volume.id()));
            return changedMeanwhile(volume.id());
        });
    }

    /** Removes one key; a 404 when the volume has no image metadata or not that key. */
    public void unset(Volume volume, String key) {
        if (!show(volume).containsKey(key)) {
            throw notFound(volume.id());
        }
        MetadataFreeze.checkDeletable(volume);
        switch (metadata.remove(volume.id(), key, MetadataFreeze.STATUSES)) {
            case REMOVED -> { }
            case NO_SUCH_KEY -> throw notFound(volume.id());
            case REFUSED -> {
                MetadataFreeze.checkDeletable(current(volume.id()));
                throw changedMeanwhile(volume.id());
            }
        }
    }

    private Volume current(String volumeId) {
        return volumes.find(volumeId).orElseThrow(() -> VolumeService.notFound(volumeId));
    }

    /** The volume's status went into a frozen one and out again while the change waited: rare, and worth a retry. */
    private static BasaltException changedMeanwhile(String volumeId) {
        return BasaltException.conflict("Volume %s changed status while its image metadata was being changed; try"
                + " again.", volumeId);
    }

    private static BasaltException notFound(String volumeId) {
        return BasaltException.notFound("Glance metadata for volume/snapshot %s cannot be found.", volumeId);
    }
}
