package dev.basalt.rbd;

import java.util.EnumSet;
import java.util.Set;

/** RBD image features ({@code RBD_FEATURE_*}), each a bit of the feature mask. */
public enum ImageFeature {
    LAYERING(1L),
    STRIPING_V2(1L << 1),
    EXCLUSIVE_LOCK(1L << 2),
    OBJECT_MAP(1L << 3),
    FAST_DIFF(1L << 4),
    DEEP_FLATTEN(1L << 5),
    JOURNALING(1L << 6),
    DATA_POOL(1L << 7),
    OPERATIONS(1L << 8),
    MIGRATING(1L << 9),
    NON_PRIMARY(1L << 10);

    private final long bit;

    ImageFeature(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }

    static long mask(Set<ImageFeature> features) {
        long mask = 0;
        for (ImageFeature feature : features) {
            mask |= feature.bit;
        }
        return mask;
    }

    static Set<ImageFeature> of(long mask) {
        Set<ImageFeature> features = EnumSet.noneOf(ImageFeature.class);
        for (ImageFeature feature : values()) {
            if ((mask & feature.bit) != 0) {
                features.add(feature);
            }
        }
        return features;
    }
}
