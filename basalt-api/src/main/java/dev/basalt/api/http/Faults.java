package dev.basalt.api.http;

import dev.basalt.common.Fault;

/** Cinder's fault body: {@code {"itemNotFound": {"code": 404, "message": "..."}}}. */
public final class Faults {
    public static final String INTERNAL_MESSAGE =
            "The server has either erred or is incapable of performing the requested operation.";

    private Faults() {
    }

    public static ApiResponse response(Fault fault, String message) {
        return ApiResponse.of(fault.status(), body(fault, message));
    }

    public static JsonBody body(Fault fault, String message) {
        return out -> {
            out.writeStartObject();
            out.writeObjectFieldStart(fault.faultName());
            out.writeNumberField("code", fault.status());
            out.writeStringField("message", message);
            out.writeEndObject();
            out.writeEndObject();
        };
    }
}
