package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message on the wire: the method, its arguments, and for a call the id its reply carries.
 * {@code sentAt} is epoch milliseconds, for logs and expiry.
 */
public record Envelope(String method, JsonNode args, String correlationId, long sentAt) {
}
