package dev.basalt.rbd;

/** Where a clone comes from: the parent image and the (protected) snapshot of it. */
public record ImageParent(LinkedImage image, String snapshot) {
}
