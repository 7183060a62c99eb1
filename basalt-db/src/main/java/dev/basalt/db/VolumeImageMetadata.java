package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.VolumeStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What Basalt keeps of the image a volume was made from (Cinder's {@code volume_glance_metadata},
 * shown as {@code volume_image_metadata}): written, with {@code bootable}, when the volume
 * service has filled the volume from the image; changed key by key by its owner
 * ({@code os-set_image_metadata}, {@code os-unset_image_metadata}) unless the volume is in one of
 * the statuses the caller names; removed with the volume. A change holds the volume's row lock
 * (without changing the row), so changes of one volume's image metadata take turns and none lands
 * while the volume is moved into a refused status.
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

    /** The image metadata of one volume, keys in order; empty when it has none. */
    public Map<String, String> of(String volumeId) {
        return of(List.of(volumeId)).getOrDefault(volumeId, Map.of());
    }

    /**
     * Adds or overwrites the given keys of the volume's image metadata; the volume's whole image
     * metadata afterwards, or empty when the volume is gone or in one of {@code refused}.
     */
    public Optional<Map<String, String>> merge(String volumeId, Map<String, String> metadata,
                                               Set<VolumeStatus> refused) {
        return jdbi.inTransaction(h -> {
            if (!lockUnlessIn(h, volumeId, refused)) {
                return Optional.empty();
            }
            MetadataTable.VOLUME_IMAGES.merge(h, volumeId, metadata);
            return Optional.of(MetadataTable.VOLUME_IMAGES.read(h, List.of(volumeId))
                    .getOrDefault(volumeId, Map.of()));
        });
    }

    /** What became of a request to remove one key. */
    public enum Removal { REMOVED, NO_SUCH_KEY, REFUSED }

    /**
     * Removes one key of the volume's image metadata; {@link Removal#REFUSED} when the volume is gone or
     * in one of {@code refused}.
     */
    public Removal remove(String volumeId, String key, Set<VolumeStatus> refused) {
        return jdbi.inTransaction(h -> {
            if (!lockUnlessIn(h, volumeId, refused)) {
                return Removal.REFUSED;
            }
            return MetadataTable.VOLUME_IMAGES.deleteKey(h, volumeId, key) ? Removal.REMOVED : Removal.NO_SUCH_KEY;
        });
    }

    /** Takes the volume's row lock, changing nothing; false when it is gone or in one of {@code refused}. */
    private static boolean lockUnlessIn(Handle h, String volumeId, Set<VolumeStatus> refused) {
        if (refused.isEmpty()) {
            return h.createUpdate("UPDATE volumes SET status = status WHERE id = :id").bind("id", volumeId)
                    .execute() == 1;
        }
        return h.createUpdate("UPDATE volumes SET status = status WHERE id = :id AND status NOT IN (<refused>)")
                .bind("id", volumeId).bindList("refused", refused.stream().map(VolumeStatus::apiName).toList())
                .execute() == 1;
    }

    /** The image metadata of each of the volumes that has any. */
    public Map<String, Map<String, String>> of(Collection<String> volumeIds) {
        return jdbi.withHandle(h -> MetadataTable.VOLUME_IMAGES.read(h, volumeIds));
    }
}
