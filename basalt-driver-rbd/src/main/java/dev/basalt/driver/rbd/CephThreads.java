package dev.basalt.driver.rbd;

import dev.basalt.driver.VolumeDriverException;
import dev.basalt.rbd.CephException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs calls into librados and librbd on platform threads with the stack those libraries expect
 * (8 MiB, glibc's default), whatever {@code -Xss} the process runs with: Basalt's launcher gives its
 * threads 512 KiB, on which {@code rados_connect} overflows the stack and takes the JVM down. A call
 * made on such a thread already runs there directly.
 */
final class CephThreads {
    private static final long STACK_BYTES = 8L << 20;
    private static final String PREFIX = "ceph-call-";
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().stackSize(STACK_BYTES).name(PREFIX, 0).factory());

    private CephThreads() {
    }

    /** A call into the Ceph libraries. */
    @FunctionalInterface
    interface CephCall<T> {
        T call() throws CephException;
    }

    /** Runs {@code call} on a Ceph thread and returns what it returned, or throws what it threw. */
    static <T> T run(CephCall<T> call) throws CephException {
        if (Thread.currentThread().getName().startsWith(PREFIX)) {
            return call.call();
        }
        Future<T> result = THREADS.submit(call::call);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("interrupted while waiting for Ceph", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CephException ceph) {
                throw ceph;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** As {@link #run} for a call that throws no {@link CephException}. */
    static void runUnchecked(Runnable call) {
        try {
            run(() -> {
                call.run();
                return null;
            });
        } catch (CephException e) {
            throw new IllegalStateException(e);
        }
    }
}
