package dev.basalt.server;

/** Basalt cannot start as configured; the message says why and what to change. */
final class StartupException extends RuntimeException {
    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
