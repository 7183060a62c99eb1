package dev.basalt.rpc;

/** Asks the volume service that owns the volume to wipe and remove it (row included). */
public record DeleteVolume(String volumeId, String requestId) {
}
