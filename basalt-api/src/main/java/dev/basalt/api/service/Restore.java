package dev.basalt.api.service;

/** A restore under way: the backup, and the volume it is written into (Cinder's restore summary). */
public record Restore(String backupId, String volumeId, String volumeName) {
}
