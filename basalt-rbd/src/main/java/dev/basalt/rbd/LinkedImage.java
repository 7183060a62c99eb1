package dev.basalt.rbd;

/**
 * An image named from another (a clone's parent, a snapshot's child): its pool, namespace (empty
 * for the default one), id and name; {@code trash} when it has been moved to the pool's trash.
 */
public record LinkedImage(long poolId, String pool, String namespace, String imageId, String imageName,
        boolean trash) {
}
