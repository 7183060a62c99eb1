package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call's answer on the wire: either {@code result}, or a failure with the fault name of a
 * {@link dev.basalt.common.Fault} and a message for the caller.
 */
public record Reply(String correlationId, JsonNode result, String fault, String message) {
    public boolean failed() {
        return fault != null;
    }
}
