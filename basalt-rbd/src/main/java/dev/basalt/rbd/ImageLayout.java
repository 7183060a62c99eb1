package dev.basalt.rbd;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * How a new image is laid out: objects of {@code 2^order} bytes (12 to 26: 4 KiB to 64 MiB; Cinder's
 * {@code rbd_store_chunk_size} in MiB is order 20 + log2 of it) and its features. Images are
 * always format 2.
 */
public record ImageLayout(int order, Set<ImageFeature> features) {
    /** 4 MiB objects, as librbd's default. */
    public static final int DEFAULT_ORDER = 22;

    public ImageLayout {
        if (order < 12 || order > 26) {
            throw new IllegalArgumentException("object size order must be 12 to 26 (4 KiB to 64 MiB): " + order);
        }
        features = Set.copyOf(requireNonNull(features, "features"));
    }

    /** Layering only (what copy-on-write clones need), objects of {@code 2^order} bytes. */
    public static ImageLayout layering(int order) {
        return new ImageLayout(order, EnumSet.of(ImageFeature.LAYERING));
    }

    public long objectSize() {
        return 1L << order;
    }
}
