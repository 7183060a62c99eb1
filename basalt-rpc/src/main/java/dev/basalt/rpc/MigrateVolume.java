package dev.basalt.rpc;

/**
 * Migrates a volume whose {@code migration_status} is {@code starting} to {@code host}
 * ({@code host@backend#pool}). To a scheduler: check that the backend exists and accepts the volume. To
 * the volume service that owns the volume: copy it there, check the copy, and move the volume.
 * {@code forceHostCopy} is Cinder's {@code force_host_copy} (Basalt always copies through the volume
 * service).
 */
public record MigrateVolume(String volumeId, String host, boolean forceHostCopy, String requestId) {
}
