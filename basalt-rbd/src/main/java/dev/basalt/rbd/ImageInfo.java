package dev.basalt.rbd;

/** An image's size and object layout ({@code rbd_stat}). */
public record ImageInfo(long size, long objectSize, long objectCount, int order, String blockNamePrefix) {
}
