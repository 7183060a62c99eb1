package dev.basalt.backup.posix;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs one task per chunk index on a fixed number of threads, each taking the next index, each with
 * its own state (its buffers: memory stays bounded by threads × state). The first failure stops the
 * others after their current chunk and is thrown to the caller.
 */
final class ChunkWorkers {
    private final int threads;
    private final String name;

    /** One chunk's work with the worker's own state. */
    interface Task<S> {
        void run(S state, int index) throws IOException;
    }

    ChunkWorkers(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one worker thread, not " + threads);
        }
        this.threads = threads;
        this.name = name;
    }

    <S> void run(int count, Supplier<S> state, Task<S> task) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        int started = Math.max(1, Math.min(threads, count));
        for (int t = 0; t < started; t++) {
            workers.add(Thread.ofPlatform().name(name + "-" + t).daemon().start(() -> {
                S own = null;
                try {
                    own = state.get();
                    int index;
                    while (!stop.get() && (index = next.getAndIncrement()) < count) {
                        task.run(own, index);
                    }
                } catch (Throwable e) {
                    if (!failure.compareAndSet(null, e)) {
                        failure.get().addSuppressed(e);
                    }
                    stop.set(true);
                } finally {
                    if (own instanceof AutoCloseable closeable) {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            // buffers and codecs only: nothing to report
                        }
                    }
                }
            }));
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + " interrupted");
        }
        Throwable thrown = failure.get();
        switch (thrown) {
            case null -> {
            }
            case IOException e -> throw e;
            case UncheckedIOException e -> throw e.getCause();
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(name + " failed", thrown);
        }
    }
}
