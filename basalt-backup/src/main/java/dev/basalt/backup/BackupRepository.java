package dev.basalt.backup;

import java.io.IOException;
import java.util.Optional;

/**
 * Where backups live: the SPI every backup repository (POSIX directory now, object stores later)
 * implements and {@code BackupRepositoryContract} checks.
 *
 * <p>A backup is a manifest plus content-addressed chunks shared between backups: chunks are
 * deduplicated by their SHA-256, chunks that read as zero are recorded and never stored, and a
 * backup's manifest is only published once every chunk it names is durable. All methods are safe to
 * call concurrently, also from several processes sharing one repository.
 *
 * <p>Rules about which backups may be deleted or restored when (a backup with dependents, one that is
 * being restored) belong to the backup service, not here: {@link #delete} keeps every chunk another
 * backup needs, and a restore whose chunk disappeared fails loudly.
 */
public interface BackupRepository {

    /**
     * Backs {@code source} up as {@code request.backupId()} and publishes its manifest.
     *
     * @throws BackupConflictException when a backup with that id exists or is being made
     * @throws IOException when the source or the repository fails; nothing is published, and the
     *     chunks already written stay until {@link #delete} of the same id removes them
     */
    Manifest backup(BackupRequest request, BlockSource source, ProgressListener progress) throws IOException;

    /**
     * Writes the backup's bytes into {@code sink}, verifying each chunk's SHA-256 after
     * decompression, then syncs the sink. When {@link BlockSink#readsAsZeros()}, zero chunks and
     * zero blocks are not written.
     *
     * @throws CorruptBackupException when a chunk is missing or does not match its hash
     * @throws IllegalArgumentException when the sink is smaller than the backup's volume
     */
    void restore(Manifest manifest, BlockSink sink, ProgressListener progress) throws IOException;

    /** The manifest of a completed backup. */
    Manifest manifest(String backupId) throws IOException;

    /** Whether a completed backup with this id is in the repository. */
    boolean hasManifest(String backupId) throws IOException;

    /**
     * Removes the backup's manifest and every chunk that no other backup (completed or in progress)
     * refers to, with whatever a failed or killed backup of that id left (temporary files, its
     * journal). Deleting an id that does not exist, or never completed, succeeds.
     *
     * @throws BackupConflictException when that backup is being made right now
     */
    void delete(String backupId) throws IOException;

    /** The backup's manifest as bytes (versioned JSON), for an exported backup record. */
    default byte[] exportManifest(String backupId) throws IOException {
        return ManifestCodec.encode(manifest(backupId));
    }

    /**
     * Takes a manifest exported from this repository (or a copy of it) back: checks that it is well
     * formed and that every chunk it names is present, then publishes it. Importing the same
     * manifest twice is harmless.
     *
     * @throws MalformedManifestException when the bytes are not a manifest
     * @throws CorruptBackupException when a chunk it names is missing
     * @throws BackupConflictException when a different backup with the same id exists
     */
    Manifest importManifest(byte[] manifest) throws IOException;

    /** The manifest if the backup exists. */
    default Optional<Manifest> findManifest(String backupId) throws IOException {
        return hasManifest(backupId) ? Optional.of(manifest(backupId)) : Optional.empty();
    }
}
