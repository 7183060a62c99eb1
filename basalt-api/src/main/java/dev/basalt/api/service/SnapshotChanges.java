package dev.basalt.api.service;

/** What an update changes of a snapshot: the name if {@code setName}, the description if {@code setDescription}. */
public record SnapshotChanges(boolean setName, String name, boolean setDescription, String description) {
}
