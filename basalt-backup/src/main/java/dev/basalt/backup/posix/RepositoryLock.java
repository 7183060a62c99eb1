package dev.basalt.backup.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The repository-wide reader/writer lock, across threads and processes: an in-process
 * {@link ReentrantReadWriteLock} combined with a {@code fcntl} lock on the repository's lock file.
 * One instance per directory per JVM ({@link #forDirectory}), because the JVM allows one file lock
 * per file and process ({@link java.nio.channels.OverlappingFileLockException}): the threads holding
 * the shared side in this process share one shared file lock, taken by the first and released by
 * the last. Also keeps the ids of the backups this process is making right now.
 */
final class RepositoryLock {
    private static final ConcurrentHashMap<Path, RepositoryLock> LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();
    private final Object sharedMonitor = new Object();
    private final Set<String> activeBackups = ConcurrentHashMap.newKeySet();
    private FileChannel channel;
    private int sharedHolders;
    private FileLock sharedFileLock;

    private RepositoryLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    static RepositoryLock forDirectory(Path root) throws IOException {
        Path real = root.toRealPath();
        return LOCKS.computeIfAbsent(real, r -> new RepositoryLock(r.resolve("lock")));
    }

    /** A held lock; closing releases it. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** Shared with other shared holders, excluding {@link #exclusive} holders in every process. */
    Hold shared() throws IOException {
        local.readLock().lock();
        try {
            synchronized (sharedMonitor) {
                if (sharedHolders == 0) {
                    sharedFileLock = channel().lock(0, Long.MAX_VALUE, true);
                }
                sharedHolders++;
            }
        } catch (IOException | RuntimeException e) {
            local.readLock().unlock();
            throw e;
        }
        return () -> {
            try {
                synchronized (sharedMonitor) {
                    if (--sharedHolders == 0) {
                        release(sharedFileLock);
                        sharedFileLock = null;
                    }
                }
            } finally {
                local.readLock().unlock();
            }
        };
    }

    /** Alone in every process. */
    Hold exclusive() throws IOException {
        local.writeLock().lock();
        FileLock fileLock;
        try {
            fileLock = channel().lock(0, Long.MAX_VALUE, false);
        } catch (IOException | RuntimeException e) {
            local.writeLock().unlock();
            throw e;
        }
        return () -> {
            try {
                release(fileLock);
            } finally {
                local.writeLock().unlock();
            }
        };
    }

    /** Marks the backup as being made in this process; false when it already is. */
    boolean begin(String backupId) {
        return activeBackups.add(backupId);
    }

    void end(String backupId) {
        activeBackups.remove(backupId);
    }

    boolean isActive(String backupId) {
        return activeBackups.contains(backupId);
    }

    /** The lock file's channel, opened again should an interrupt have closed it. */
    private synchronized FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    private static void release(FileLock lock) {
        if (lock != null && lock.isValid()) {
            try {
                lock.release();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the backup repository's lock", e);
            }
        }
    }
}
