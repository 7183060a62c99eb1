package dev.basalt.db;

import java.time.Instant;

/** The volume type a project's volumes get when created without one. */
public record ProjectDefaultType(String projectId, String volumeTypeId, Instant createdAt, Instant updatedAt) {
}
