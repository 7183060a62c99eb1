package dev.basalt.common;

/**
 * The kinds of error a caller can see, each with its HTTP status and the name Cinder gives its
 * fault body ({@code {"badRequest": {"code": 400, "message": "..."}}}).
 */
public enum Fault {
    BAD_REQUEST(400, "badRequest"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "itemNotFound"),
    BAD_METHOD(405, "badMethod"),
    NOT_ACCEPTABLE(406, "computeFault"),
    CONFLICT(409, "conflictingRequest"),
    OVER_LIMIT(413, "overLimit"),
    BAD_MEDIA_TYPE(415, "badMediaType"),
    INTERNAL(500, "computeFault"),
    NOT_IMPLEMENTED(501, "notImplemented"),
    /** A backend did not answer in time (Cinder's RPC timeouts: {@code computeFault}). */
    BAD_GATEWAY(502, "computeFault"),
    SERVICE_UNAVAILABLE(503, "serviceUnavailable");

    private final int status;
    private final String faultName;

    Fault(int status, String faultName) {
        this.status = status;
        this.faultName = faultName;
    }

    public int status() {
        return status;
    }

    public String faultName() {
        return faultName;
    }
}
