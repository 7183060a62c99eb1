package dev.basalt.rpc;

/**
 * Asks the volume service that owns an {@code unmanaging} volume to let go of it: its driver keeps
 * the bytes, and the volume's row goes (its quota given back).
 */
public record UnmanageVolume(String volumeId, String requestId) {
}
