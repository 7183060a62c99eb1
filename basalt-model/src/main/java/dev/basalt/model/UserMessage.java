package dev.basalt.model;

import java.time.Instant;

/**
 * A message for a project's users about an asynchronous failure (Cinder's messages API):
 * which resource, what was being done ({@code actionId}, e.g. {@code 001} for scheduling) and
 * why ({@code detailId} and {@code detail}).
 */
public record UserMessage(
        String id,
        String projectId,
        String requestId,
        String resourceType,
        String resourceUuid,
        String eventId,
        String messageLevel,
        String actionId,
        String detailId,
        String detail,
        Instant createdAt,
        Instant expiresAt) {
}
