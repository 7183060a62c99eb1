package dev.basalt.driver;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link VolumeDriver} that can keep <em>backup bases</em>: point-in-time copies of a volume, kept
 * under an id (the backup's) on the volume's host, that share their data with the volume, so that
 * a later incremental backup can compare extent maps (FIEMAP) of its own base with its parent's and
 * read only the blocks that changed between them. The contract of {@link VolumeDriver} (thread
 * safety, idempotence, errors, ids) holds for these methods too.
 *
 * <p>A driver keeps a base only where it is cheap, by sharing extents (a reflink on XFS or btrfs):
 * where a base would be a full copy of the data (ext4), {@link #keepBackupBase} keeps nothing, and
 * backups read the volume itself. Bases are no snapshots: no row, no provisioned capacity, and they
 * never block a volume's delete: {@link VolumeDriver#deleteVolume} wipes and removes the volume's
 * bases too. A base is independent of its volume once kept, as a snapshot is.
 */
public interface BackupBaseCapable extends VolumeDriver {

    /**
     * Keeps a base of the volume's bytes as they are now (or of its snapshot's, when
     * {@code snapshotId} is not null) under {@code baseId}, and answers where it is on this host. A
     * base that already exists under that id is answered as it is (idempotent). Empty when this
     * storage cannot keep a base cheaply (nothing was made).
     */
    Optional<Path> keepBackupBase(String volumeId, String snapshotId, String baseId);

    /** Where the volume's base {@code baseId} is, if it exists. */
    Optional<Path> backupBase(String volumeId, String baseId);

    /** The ids of the volume's bases. */
    Set<String> backupBases(String volumeId);

    /**
     * Removes the volume's base {@code baseId}; one that does not exist is fine. A reader that has
     * the base open keeps reading the bytes it had (the name goes, not the data under it).
     */
    void dropBackupBase(String volumeId, String baseId);
}
