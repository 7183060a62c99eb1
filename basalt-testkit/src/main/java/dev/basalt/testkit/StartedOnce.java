package dev.basalt.testkit;

import java.util.function.Supplier;

/**
 * A server the tests of a JVM share: started on first use; a failed start is remembered and
 * thrown again to every later caller, rather than tried (and waited for) once per test class.
 */
final class StartedOnce<T> {
    private final Supplier<T> start;
    private T started;
    private RuntimeException failure;

    StartedOnce(Supplier<T> start) {
        this.start = start;
    }

    synchronized T get() {
        if (failure != null) {
            throw failure;
        }
        if (started == null) {
            try {
                started = start.get();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return started;
    }
}
