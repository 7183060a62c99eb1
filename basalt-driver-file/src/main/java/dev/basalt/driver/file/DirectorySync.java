package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * fsync(2) of one directory with group commit: concurrent callers share one fsync. A caller's
 * change (a rename or unlink it made before calling) is durable when {@link #sync} returns,
 * because it only returns after an fsync that started after the caller asked.
 */
final class DirectorySync {
    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long durable;
    private boolean syncing;

    DirectorySync(Path directory) {
        this.directory = requireNonNull(directory, "directory");
    }

    void sync() throws IOException {
        long mine;
        long covers;
        lock.lock();
        try {
            mine = ++requested;
            while (durable < mine && syncing) {
                done.awaitUninterruptibly();
            }
            if (durable >= mine) {
                return;
            }
            syncing = true;
            covers = requested;
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        try {
            FileSync.directory(directory);
        } catch (IOException e) {
            failure = e;
        }
        lock.lock();
        try {
            syncing = false;
            if (failure == null) {
                durable = Math.max(durable, covers);
            }
            done.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
