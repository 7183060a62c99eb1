package dev.basalt.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One attachment of a volume to a host or server, as Cinder keeps it: reserved first, then given
 * a connector (and so connection info) while {@code attaching}, {@code attached} once the host has
 * the disk. {@code attachMode} is {@code rw}, {@code ro}, or {@code null} (the string, as Cinder
 * stores it) while not yet chosen. {@code connector} and {@code connectionInfo} are JSON objects as
 * maps; empty until a connector is given.
 */
public record VolumeAttachment(
        String id,
        String volumeId,
        String projectId,
        String instanceUuid,
        String attachedHost,
        String mountpoint,
        AttachStatus status,
        String attachMode,
        Map<String, Object> connector,
        Map<String, Object> connectionInfo,
        Instant attachTime,
        Instant detachTime,
        Instant createdAt,
        Instant updatedAt) {

    /** The attach mode of an attachment whose mode is not chosen yet. */
    public static final String MODE_NOT_SET = "null";

    public VolumeAttachment {
        requireNonNull(id, "id");
        requireNonNull(volumeId, "volumeId");
        requireNonNull(status, "status");
        connector = connector == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(connector));
        connectionInfo = connectionInfo == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(connectionInfo));
    }

    /** Whether a connector was given, so that the volume is exported for this attachment. */
    public boolean connected() {
        return !connector.isEmpty();
    }
}
