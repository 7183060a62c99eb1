package dev.basalt.model.messages;

/** A volume left {@code creating}: it is now {@code status} ({@code available} or {@code error}). */
public record VolumeSettled(String volumeId, String status) {
}
