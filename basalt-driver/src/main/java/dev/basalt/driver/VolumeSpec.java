package dev.basalt.driver;

/**
 * What a driver needs to create a volume.
 *
 * @param id      the volume's id, a UUID (as Cinder); drivers name their storage after it
 * @param sizeGib the size in GiB (2<sup>30</sup> bytes), at least 1
 */
public record VolumeSpec(String id, int sizeGib) {

    public VolumeSpec {
        VolumeIds.requireValid(id);
        if (sizeGib < 1) {
            throw new IllegalArgumentException("volume size must be at least 1 GiB, got " + sizeGib);
        }
    }

    /** The size in bytes: {@code sizeGib × 2^30}. */
    public long sizeBytes() {
        return Sizes.gibToBytes(sizeGib);
    }
}
