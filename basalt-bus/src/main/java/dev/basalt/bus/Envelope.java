package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message on the wire: the method and the version it was sent as, its arguments, and for a call
 * the id its reply carries. {@code sentAt} is epoch milliseconds, for logs and expiry.
 */
public record Envelope(String method, String version, JsonNode args, String correlationId, long sentAt) {
}
