package dev.basalt.driver;

/**
 * A volume driver stores the bytes of volumes on one kind of storage (a directory of files, a
 * Ceph pool, an LVM volume group, ...).
 *
 * <p>This is the small interface every driver implements. Optional abilities (snapshots, clones,
 * extend, ...) come as separate capability interfaces that a driver may also implement.
 *
 * <p>Contract shared by all methods:
 * <ul>
 *   <li>Methods are safe to call from many threads at once, also for the same volume id.</li>
 *   <li>{@link #start()} is called once before anything else except {@link #name()}.</li>
 *   <li>Every operation is idempotent, because a bus message may be delivered twice and a
 *       service may redo the work it had in flight when it stopped.</li>
 *   <li>Storage trouble is raised as {@link VolumeDriverException}, with a message an operator can
 *       act on. A volume id that is not in UUID form is refused with
 *       {@link IllegalArgumentException}: it is a bug in the caller, never in the storage.</li>
 * </ul>
 */
public interface VolumeDriver {

    /** The driver's name as written in configuration ({@code volume_driver}), e.g. {@code "file"}. */
    String name();

    /**
     * Prepares the storage and learns what is already on it. Fails with a
     * {@link VolumeDriverException} that says what to fix when the storage is unusable.
     */
    void start();

    /**
     * Releases what {@link #start()} took (connections to the storage, threads), once, when the
     * service stops; nothing is called after it. The default releases nothing.
     */
    default void stop() {
    }

    /**
     * Creates a volume of exactly {@code volume.sizeGib()} GiB that reads as zeros. A volume that
     * already exists with the same size is left as it is (idempotent); one with another size is an
     * error.
     */
    void createVolume(VolumeSpec volume);

    /**
     * Wipes the volume's data (as configured: {@link VolumeClear}) and then removes it and releases
     * its space. A volume that does not exist is fine (idempotent).
     */
    void deleteVolume(String volumeId);

    /** Whether the volume exists on the storage. */
    boolean hasVolume(String volumeId);

    /** Capacity and capabilities of the driver's pool, for the scheduler. */
    PoolReport report();
}
