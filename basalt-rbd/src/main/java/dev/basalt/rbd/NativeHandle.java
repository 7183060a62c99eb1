package dev.basalt.rbd;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The lifetime of one librados/librbd handle ({@code rados_t}, {@code rados_ioctx_t},
 * {@code rbd_image_t}): calls on it run under a shared lock, so any number run at once; closing
 * takes the lock exclusively, so it waits for the calls in flight and no call can ever reach a
 * released handle (which would crash the JVM). Handles opened from this one (an ioctx from a
 * cluster, an image from an ioctx) are closed with it, first.
 */
final class NativeHandle {
    /** A library call on the handle's pointer. */
    @FunctionalInterface
    interface Call<T> {
        T on(Pointer handle) throws CephException;
    }

    private final String name;
    private final Pointer pointer;
    private final Consumer<Pointer> release;
    private final NativeHandle owner;
    private final Set<NativeHandle> opened = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private NativeHandle(String name, Pointer pointer, Consumer<Pointer> release, NativeHandle owner) {
        this.name = name;
        this.pointer = pointer;
        this.release = release;
        this.owner = owner;
    }

    /** A handle of its own (a cluster connection); {@code release} frees it. */
    static NativeHandle root(String name, Pointer pointer, Consumer<Pointer> release) {
        return new NativeHandle(name, pointer, release, null);
    }

    /**
     * Opens a handle from this one: {@code open} runs under this handle's shared lock and returns the
     * new pointer; the new handle is closed when this one is.
     */
    NativeHandle open(String childName, Call<Pointer> open, Consumer<Pointer> childRelease) throws CephException {
        return use(parent -> {
            NativeHandle child = new NativeHandle(childName, open.on(parent), childRelease, this);
            opened.add(child);
            return child;
        });
    }

    /** Runs {@code call} on the handle; fails with {@link IllegalStateException} once it is closed. */
    <T> T use(Call<T> call) throws CephException {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            return call.on(pointer);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** What the handle is, for messages: {@code rbd/volume-1}. */
    String name() {
        return name;
    }

    /** Closes what was opened from it, then releases it; waits for calls in flight. Idempotent. */
    void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        try {
            for (NativeHandle child : List.copyOf(opened)) {
                child.close();
            }
        } finally {
            release.accept(pointer);
            if (owner != null) {
                owner.opened.remove(this);
            }
        }
    }
}
