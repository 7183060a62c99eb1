package dev.basalt.rbd;

/** One snapshot of an image: its id, name and the image's size when it was taken. */
public record SnapshotInfo(long id, String name, long size) {
}
