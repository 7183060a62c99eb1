package dev.basalt.rpc;

/** A volume left {@code creating}: it is now {@code status} ({@code available} or {@code error}). */
public record VolumeSettled(String volumeId, String status) {
}
