package dev.basalt.rpc;

/**
 * Tells the volume service that owns a volume that a host is done with it: the export goes away
 * unless an attachment other than {@code attachmentId} (null: none is going) still uses it.
 */
public record TerminateConnection(String volumeId, String attachmentId, String requestId) {
}
