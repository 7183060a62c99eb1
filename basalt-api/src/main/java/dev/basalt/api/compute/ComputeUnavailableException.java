package dev.basalt.api.compute;

/** The compute service, or Keystone's catalog that locates it, could not be asked or gave no usable answer. */
public final class ComputeUnavailableException extends RuntimeException {
    public ComputeUnavailableException(String message) {
        super(message);
    }

    public ComputeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
