package dev.basalt.backup;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Everything needed to restore one backup without the database: which volume it was, its size,
 * how it was cut into chunks, and each chunk's hash (or zero). Serialised by {@link ManifestCodec}
 * so a backup record can be exported and imported.
 *
 * @param formatVersion the manifest format's version ({@link ManifestCodec#FORMAT_VERSION} when made here)
 * @param backupId the backup's id
 * @param volumeId the volume it was taken from
 * @param parentBackupId the backup this one is incremental to, if any (informative: a manifest
 *     lists every chunk, so it restores on its own)
 * @param volumeSize the volume's size in bytes
 * @param chunkSize bytes per chunk (the last chunk may be shorter)
 * @param compression how chunks new in this backup were compressed (each chunk names its own)
 * @param createdAt when the backup finished
 * @param chunks one entry per chunk index
 * @param dataBytes bytes in chunks that hold data (not zero)
 * @param storedBytes bytes this backup added to the repository (compressed chunks it wrote)
 */
public record Manifest(
        int formatVersion,
        String backupId,
        String volumeId,
        Optional<String> parentBackupId,
        long volumeSize,
        int chunkSize,
        Compression compression,
        Instant createdAt,
        ChunkTable chunks,
        long dataBytes,
        long storedBytes) {

    public Manifest {
        BackupIds.check(backupId);
        requireNonNull(volumeId, "volumeId");
        requireNonNull(parentBackupId, "parentBackupId");
        requireNonNull(compression, "compression");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(chunks, "chunks");
        if (volumeSize < 0) {
            throw new IllegalArgumentException("negative volume size " + volumeSize);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, not " + chunkSize);
        }
        if (chunks.count() != chunkCount(volumeSize, chunkSize)) {
            throw new IllegalArgumentException("a volume of " + volumeSize + " bytes in chunks of " + chunkSize
                    + " bytes has " + chunkCount(volumeSize, chunkSize) + " chunks, not " + chunks.count());
        }
    }

    public static int chunkCount(long volumeSize, int chunkSize) {
        long count = (volumeSize + chunkSize - 1) / chunkSize;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a volume of " + volumeSize + " bytes needs more than 2^31 chunks of "
                    + chunkSize + " bytes: use larger chunks");
        }
        return (int) count;
    }

    /** The bytes of the volume that chunk {@code index} covers. */
    public ByteRange chunkRange(int index) {
        long offset = (long) index * chunkSize;
        return new ByteRange(offset, Math.min(chunkSize, volumeSize - offset));
    }
}
