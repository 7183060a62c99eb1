package dev.basalt.driver;

/**
 * A {@link VolumeDriver} that opens a volume's bytes for block I/O ({@link BlockDevice}) whatever its
 * storage (a file, an RBD image, ...), so that a target, a copy or a backup reads and writes any
 * driver's volumes the same way. The contract of {@link VolumeDriver} (thread safety, errors, ids)
 * holds for these methods too.
 */
public interface BlockIoCapable extends VolumeDriver {

    /**
     * Opens the volume for reading and writing. Fails with a {@link VolumeDriverException} when it does
     * not exist or the storage cannot be reached.
     */
    BlockDevice open(String volumeId);

    /**
     * Opens the snapshot for reading (writes fail). Fails with a {@link VolumeDriverException} when it
     * does not exist or the storage cannot be reached. Drivers that are not {@link SnapshotCapable}
     * refuse it with {@link UnsupportedOperationException}.
     */
    BlockDevice openSnapshot(String snapshotId);
}
