package dev.basalt.backup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What to back up and how.
 *
 * @param backupId the new backup's id (names its manifest)
 * @param volumeId the volume the source belongs to (recorded in the manifest)
 * @param chunkSize bytes per chunk: a multiple of 4096 between 64 KiB and 64 MiB
 * @param compression for chunks this backup stores
 * @param parent the manifest of the backup this one is incremental to
 * @param changedSinceParent ranges of the source that may differ from the parent (from extent maps,
 *     see {@code SharedExtents}): chunks wholly outside them are taken from the parent without
 *     reading the source. Needs a parent with the same chunk size and volume size, else ignored.
 *     Without it an incremental reads every data range and stores only chunks not already stored.
 */
public record BackupRequest(
        String backupId,
        String volumeId,
        int chunkSize,
        Compression compression,
        Optional<Manifest> parent,
        Optional<List<ByteRange>> changedSinceParent) {

    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    public static final int MAX_CHUNK_SIZE = 64 << 20;

    public BackupRequest {
        BackupIds.check(backupId);
        requireNonNull(volumeId, "volumeId");
        requireNonNull(compression, "compression");
        requireNonNull(parent, "parent");
        requireNonNull(changedSinceParent, "changedSinceParent");
        changedSinceParent = changedSinceParent.map(List::copyOf);
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || chunkSize % 4096 != 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not a multiple of 4096 between "
                    + MIN_CHUNK_SIZE + " and " + MAX_CHUNK_SIZE);
        }
        if (changedSinceParent.isPresent() && parent.isEmpty()) {
            throw new IllegalArgumentException("changed ranges are relative to a parent backup: give the parent's manifest");
        }
    }

    /** A full backup with the default chunk size. */
    public static BackupRequest full(String backupId, String volumeId, Compression compression) {
        return new BackupRequest(backupId, volumeId, DEFAULT_CHUNK_SIZE, compression, Optional.empty(), Optional.empty());
    }

    public BackupRequest withChunkSize(int size) {
        return new BackupRequest(backupId, volumeId, size, compression, parent, changedSinceParent);
    }

    /** Incremental to {@code parentManifest}, reading all data (deduplicated against the repository). */
    public BackupRequest incrementalTo(Manifest parentManifest) {
        return new BackupRequest(backupId, volumeId, chunkSize, compression, Optional.of(parentManifest), Optional.empty());
    }

    /** Incremental to {@code parentManifest}, reading only {@code changed} ranges. */
    public BackupRequest incrementalTo(Manifest parentManifest, List<ByteRange> changed) {
        return new BackupRequest(backupId, volumeId, chunkSize, compression, Optional.of(parentManifest), Optional.of(changed));
    }
}
