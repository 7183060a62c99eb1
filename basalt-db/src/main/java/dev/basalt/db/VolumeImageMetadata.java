package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What Basalt keeps of the image a volume was made from (Cinder's {@code volume_glance_metadata},
 * shown as {@code volume_image_metadata}): written once, with {@code bootable}, when the volume
 * service has filled the volume from the image; removed with the volume.
 */
public final class VolumeImageMetadata {
    private final Jdbi jdbi;

    public VolumeImageMetadata(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Marks the volume bootable and records its image's metadata (replacing any), in one
     * transaction; false if the volume does not exist.
     */
    public boolean recordBootableImage(String volumeId, Map<String, String> metadata) {
        return jdbi.inTransaction(h -> {
            if (h.createUpdate("UPDATE volumes SET bootable = TRUE, updated_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId).execute() != 1) {
                return false;
            }
            MetadataTable.VOLUME_IMAGES.deleteAll(h, volumeId);
            MetadataTable.VOLUME_IMAGES.insert(h, volumeId, metadata);
            return true;
        });
    }

    /** The image metadata of each of the volumes that has any. */
    public Map<String, Map<String, String>> of(Collection<String> volumeIds) {
        return jdbi.withHandle(h -> MetadataTable.VOLUME_IMAGES.read(h, volumeIds));
    }
}
