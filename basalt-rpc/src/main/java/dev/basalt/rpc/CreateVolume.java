package dev.basalt.rpc;

/** Asks the volume service that owns the volume's host to create its storage. */
public record CreateVolume(String volumeId, String requestId) {
}
