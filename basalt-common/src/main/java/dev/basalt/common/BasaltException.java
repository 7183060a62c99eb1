package dev.basalt.common;

import static java.util.Objects.requireNonNull;

/**
 * An error meant for the caller: it carries the {@link Fault} (and so the HTTP status) and a
 * message a person can act on. Anything else that escapes a request is an internal error.
 */
public class BasaltException extends RuntimeException {
    private final Fault fault;

    public BasaltException(Fault fault, String message) {
        super(requireNonNull(message, "message"));
        this.fault = requireNonNull(fault, "fault");
    }

    public BasaltException(Fault fault, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.fault = requireNonNull(fault, "fault");
    }

    public Fault fault() {
        return fault;
    }

    public static BasaltException badRequest(String format, Object... args) {
        return new BasaltException(Fault.BAD_REQUEST, String.format(format, args));
    }

    public static BasaltException notFound(String format, Object... args) {
        return new BasaltException(Fault.NOT_FOUND, String.format(format, args));
    }

    public static BasaltException conflict(String format, Object... args) {
        return new BasaltException(Fault.CONFLICT, String.format(format, args));
    }

    public static BasaltException forbidden(String format, Object... args) {
        return new BasaltException(Fault.FORBIDDEN, String.format(format, args));
    }
}
