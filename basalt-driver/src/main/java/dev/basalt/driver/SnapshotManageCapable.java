package dev.basalt.driver;

import dev.basalt.driver.ManageCapable.InvalidReferenceException;
import java.util.List;
import java.util.Map;

/**
 * A driver that can take snapshots it did not make under management, and let go of a snapshot
 * without touching its bytes (Cinder's {@code manage_existing_snapshot},
 * {@code get_manageable_snapshots} and {@code unmanage_snapshot}). A sibling of
 * {@link ManageCapable}, not part of it: a driver may manage volumes without being able to tie a
 * piece of storage to the volume it is a snapshot of. As there, a snapshot on the storage is named by
 * a driver-specific <em>reference</em> (Cinder's {@code source-name}); the contract of
 * {@link VolumeDriver} (thread safety, idempotence, errors, ids) holds for these methods too.
 */
public interface SnapshotManageCapable extends SnapshotCapable {

    /**
     * One snapshot on the storage this driver could manage, as Cinder's manageable-snapshot listing
     * shows it.
     *
     * @param reference the {@code source-name} that {@link #manageExistingSnapshot} takes
     * @param sizeGib its size in GiB, rounded up to a whole GiB
     * @param safeToManage whether it may be managed now
     * @param reasonNotSafe why not (null when it is safe)
     * @param cinderId the snapshot it already is (null when none)
     * @param extraInfo anything else worth telling (null when nothing)
     * @param sourceReference the {@code source-name} of the volume it is a snapshot of, as the
     *     manageable-volume listing names that volume's storage
     */
    record ManageableSnapshot(String reference, int sizeGib, boolean safeToManage, String reasonNotSafe,
                              String cinderId, String extraInfo, String sourceReference) {
        public ManageableSnapshot {
            if (reference == null || reference.isEmpty()) {
                throw new IllegalArgumentException("a manageable snapshot needs a reference");
            }
            if (sourceReference == null || sourceReference.isEmpty()) {
                throw new IllegalArgumentException("a manageable snapshot needs its volume's reference");
            }
        }
    }

    /**
     * Every snapshot on this driver's storage that could be managed, in no particular order.
     * {@code managedSnapshots} are the snapshots the service's rows place on this backend (snapshot
     * id to its volume's id): their storage is listed as not safe to manage, {@code already managed},
     * with its id.
     */
    List<ManageableSnapshot> manageableSnapshots(Map<String, String> managedSnapshots);

    /**
     * The size in GiB, rounded up to a whole GiB, that the snapshot named {@code reference} of the
     * volume {@code volumeId} would have as a managed snapshot, without changing it.
     *
     * @throws InvalidReferenceException when the reference names no snapshot of that volume
     */
    int manageableSnapshotSize(String volumeId, String reference);

    /**
     * Makes the snapshot named {@code reference} of the volume {@code volumeId} the snapshot
     * {@code snapshotId}: afterwards the driver's other methods see it under that id, sized the whole
     * GiB {@link #manageableSnapshotSize} said; its bytes are kept. Done again after it succeeded (the
     * reference gone, the snapshot there), it changes nothing.
     *
     * @return the snapshot's size in GiB
     * @throws InvalidReferenceException when the reference names no snapshot of that volume, or the
     *     snapshot id is already taken on the storage
     */
    int manageExistingSnapshot(String snapshotId, String volumeId, String reference);

    /**
     * Lets go of the snapshot {@code snapshotId} of the volume {@code volumeId}: its bytes stay on
     * the storage where a later {@link #manageableSnapshots} lists them as safe to manage (once no row
     * names the snapshot). A snapshot that is not there is fine (idempotent).
     */
    void unmanageSnapshot(String snapshotId, String volumeId);
}
