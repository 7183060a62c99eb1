package dev.basalt.backup;

import java.io.IOException;

/**
 * A chunk a backup needs is missing from the repository, or its bytes do not match its hash (after
 * decompression): the restore stops rather than write a wrong byte. Names the backup, the chunk's
 * index, offset in the volume and hash, so an operator can find the file and the backups that share it.
 */
public class CorruptBackupException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String backupId;
    private final int chunkIndex;
    private final long offset;
    private final ChunkHash hash;

    public CorruptBackupException(String backupId, int chunkIndex, long offset, ChunkHash hash, String problem,
            Throwable cause) {
        super("backup " + backupId + " cannot be restored: chunk " + chunkIndex + " (volume offset " + offset
                + ", sha256 " + hash.hex() + ") " + problem, cause);
        this.backupId = backupId;
        this.chunkIndex = chunkIndex;
        this.offset = offset;
        this.hash = hash;
    }

    public String backupId() {
        return backupId;
    }

    public int chunkIndex() {
        return chunkIndex;
    }

    public long offset() {
        return offset;
    }

    public ChunkHash hash() {
        return hash;
    }
}
