package dev.basalt.api.auth;

/** Keystone could not be asked (no connection, a timeout, a 5xx) or refused Basalt's service user. */
public final class KeystoneUnavailableException extends RuntimeException {
    public KeystoneUnavailableException(String message) {
        super(message);
    }

    public KeystoneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
