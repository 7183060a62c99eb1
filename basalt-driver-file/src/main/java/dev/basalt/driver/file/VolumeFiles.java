package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.driver.VolumeIds;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names in the volume directory: a volume is {@code volume-<id>} and a snapshot
 * {@code snapshot-<id>} (as Cinder names them), a backup base {@code backup-base-<volume id>.<base id>};
 * a snapshot the driver does not manage is {@code volume-<volume id>.<any name>} (named after the volume
 * it is a snapshot of: the tie the driver checks when it is managed, and where an unmanaged snapshot
 * goes, {@code volume-<volume id>.snapshot-<id>}); a file being made is {@code .basalt-tmp-<its name>}
 * until it is renamed into place, so a crash never leaves a half-made file under a volume's or a
 * snapshot's name.
 */
final class VolumeFiles {
    static final String VOLUME_PREFIX = "volume-";
    static final String SNAPSHOT_PREFIX = "snapshot-";
    static final String TEMP_PREFIX = ".basalt-tmp-";
    static final String BACKUP_BASE_PREFIX = "backup-base-";
    static final String UNMANAGED_PREFIX = "unmanaged-volume-";

    private final Path directory;

    VolumeFiles(Path directory) {
        this.directory = requireNonNull(directory, "directory");
    }

    Path directory() {
        return directory;
    }

    /** The volume's file; the id is checked first so that it cannot name anything else. */
    Path volume(String volumeId) {
        return directory.resolve(VOLUME_PREFIX + VolumeIds.requireValid(volumeId));
    }

    /** Where an unmanaged volume's file goes: the file driver no longer counts it as a volume. */
    Path unmanaged(String volumeId) {
        return directory.resolve(UNMANAGED_PREFIX + VolumeIds.requireValid(volumeId));
    }

    /** Where an unmanaged snapshot's file goes: named after its volume, listed as manageable again. */
    Path unmanagedSnapshot(String snapshotId, String volumeId) {
        return directory.resolve(VOLUME_PREFIX + VolumeIds.requireValid(volumeId) + "." + SNAPSHOT_PREFIX
                + VolumeIds.requireValidSnapshotId(snapshotId));
    }

    /**
     * The file a snapshot manage reference names, if it is a plain name of an unmanaged snapshot of
     * the volume: {@code volume-<volume id>.<name>}.
     */
    Optional<Path> manageableSnapshot(String volumeId, String reference) {
        if (!isPlainName(reference)
                || !snapshotVolumeId(reference).equals(Optional.of(VolumeIds.requireValid(volumeId)))) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(reference));
    }

    /**
     * The volume id of an unmanaged snapshot's file name ({@code volume-<volume id>.<name>}), if it
     * is one.
     */
    static Optional<String> snapshotVolumeId(String fileName) {
        if (fileName.startsWith(VOLUME_PREFIX)) {
            int dot = fileName.indexOf('.', VOLUME_PREFIX.length());
            if (dot > 0 && dot < fileName.length() - 1) {
                return idAfter(VOLUME_PREFIX, fileName.substring(0, dot));
            }
        }
        return Optional.empty();
    }

    /**
     * The file a manage reference ({@code source-name}) names, if it is a plain name of a file the
     * driver may adopt: in the directory itself, not a temporary file, a snapshot (managed or not)
     * or a backup base.
     */
    Optional<Path> manageable(String reference) {
        if (!isPlainName(reference) || !isManageableName(reference)) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(reference));
    }

    private static boolean isPlainName(String reference) {
        return reference != null && !reference.isEmpty() && !reference.equals(".") && !reference.equals("..")
                && reference.indexOf('/') < 0 && reference.indexOf('\0') < 0;
    }

    /** Whether a file of that name in the directory could be managed (not Basalt's own bookkeeping). */
    static boolean isManageableName(String fileName) {
        return !isTemporary(fileName) && snapshotId(fileName).isEmpty() && snapshotVolumeId(fileName).isEmpty()
                && !fileName.startsWith(BACKUP_BASE_PREFIX);
    }

    /** The snapshot's file; the id is checked first so that it cannot name anything else. */
    Path snapshot(String snapshotId) {
        return directory.resolve(SNAPSHOT_PREFIX + VolumeIds.requireValidSnapshotId(snapshotId));
    }

    /** The file of the volume's backup base {@code baseId}; both ids are checked first. */
    Path backupBase(String volumeId, String baseId) {
        return directory.resolve(backupBasePrefix(volumeId) + VolumeIds.requireValidBackupBaseId(baseId));
    }

    /** Where the backup base's file is made before it is renamed into place. */
    Path temporaryBackupBase(String volumeId, String baseId) {
        return directory.resolve(TEMP_PREFIX + backupBase(volumeId, baseId).getFileName());
    }

    /** How the names of the volume's backup bases start: the base id follows. */
    static String backupBasePrefix(String volumeId) {
        return BACKUP_BASE_PREFIX + VolumeIds.requireValid(volumeId) + ".";
    }

    /** Where the volume's file is made before it is renamed into place. */
    Path temporary(String volumeId) {
        return directory.resolve(TEMP_PREFIX + VOLUME_PREFIX + VolumeIds.requireValid(volumeId));
    }

    /** Where the snapshot's file is made before it is renamed into place. */
    Path temporarySnapshot(String snapshotId) {
        return directory.resolve(TEMP_PREFIX + SNAPSHOT_PREFIX + VolumeIds.requireValidSnapshotId(snapshotId));
    }

    /** A temporary file for anything else, e.g. the probe that checks the directory is writable. */
    Path temporary(String purpose, String unique) {
        return directory.resolve(TEMP_PREFIX + purpose + "-" + unique);
    }

    /** The volume id a file name in the directory stands for, if it is a volume's name. */
    static Optional<String> volumeId(String fileName) {
        return idAfter(VOLUME_PREFIX, fileName);
    }

    /** The snapshot id a file name in the directory stands for, if it is a snapshot's name. */
    static Optional<String> snapshotId(String fileName) {
        return idAfter(SNAPSHOT_PREFIX, fileName);
    }

    /** The volume id of a backup base's file name, if it is one. */
    static Optional<String> backupBaseVolumeId(String fileName) {
        if (fileName.startsWith(BACKUP_BASE_PREFIX)) {
            int dot = fileName.indexOf('.', BACKUP_BASE_PREFIX.length());
            if (dot > 0 && Ids.isUuidLike(fileName.substring(dot + 1))) {
                return idAfter(BACKUP_BASE_PREFIX, fileName.substring(0, dot));
            }
        }
        return Optional.empty();
    }

    static boolean isTemporary(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }

    private static Optional<String> idAfter(String prefix, String fileName) {
        if (fileName.startsWith(prefix)) {
            String id = fileName.substring(prefix.length());
            if (Ids.isUuidLike(id)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }
}
