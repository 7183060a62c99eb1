package dev.basalt.backup.posix;

import dev.basalt.backup.ChunkHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The journal of a backup in progress, {@code journal/<backup id>}: one line per chunk hash the
 * backup refers to, appended <em>before</em> the backup relies on the chunk being stored. A delete
 * treats every journal as roots, so no chunk a running backup needs is removed. The writing process
 * holds a file lock on the journal, so another process can tell a running backup from the journal
 * a killed one left behind (which stays, keeping its chunks, until that backup id is deleted).
 */
final class BackupJournal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private BackupJournal(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Opens (appending to a killed run's journal) and locks the journal; null when another process holds it. */
    static BackupJournal open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new BackupJournal(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether a process holds the journal (its backup is running). Call only for backups this
     * process is not making (the JVM refuses a second lock on a file it has locked).
     */
    static boolean isHeldElsewhere(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Records that the backup refers to the chunk. Visible to other processes when this returns (one
     * append; no fsync needed: a journal matters only while its writer lives, or until deleted).
     * Call under the repository's shared lock.
     */
    void reference(ChunkHash hash) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((hash.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
        while (line.hasRemaining()) {
            channel.write(line);
        }
    }

    /** The hashes a journal lists (a torn last line is ignored). */
    static Set<ChunkHash> read(Path file) throws IOException {
        Set<ChunkHash> hashes = new HashSet<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return hashes;
        }
        for (String line : text.split("\n")) {
            if (line.length() == 64) {
                try {
                    hashes.add(ChunkHash.parse(line));
                } catch (IllegalArgumentException e) {
                    // a torn line from a killed writer
                }
            }
        }
        return hashes;
    }

    Path file() {
        return file;
    }

    /** Releases the lock; the file stays until {@link #delete}. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
