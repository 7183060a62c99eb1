package dev.basalt.scheduler;

/** No pool can take the volume (Cinder's {@code NoValidBackend}); the message says why. */
public final class NoValidBackendException extends Exception {
    public NoValidBackendException(String reason) {
        super(reason);
    }
}
