package dev.basalt.rpc;

/** Asks the volume service that owns an {@code extending} volume to grow it to {@code newSize} GiB. */
public record ExtendVolume(String volumeId, int newSize, String requestId) {
}
