package dev.basalt.driver;

import java.util.List;
import java.util.Set;

/**
 * A driver that can take storage it did not make under management, and let go of a volume without
 * touching its bytes (Cinder's {@code manage_existing}, {@code get_manageable_volumes} and
 * {@code unmanage}). A piece of storage is named by a driver-specific <em>reference</em>: for the
 * drivers here Cinder's {@code source-name}, the name of the file or image on the storage. The
 * contract of {@link VolumeDriver} (thread safety, idempotence, errors, ids) holds for these
 * methods too.
 */
public interface ManageCapable extends VolumeDriver {

    /**
     * One piece of storage this driver could manage, as Cinder's manageable-volume listing shows it.
     *
     * @param reference the {@code source-name} that {@link #manageExisting} takes
     * @param sizeGib its size in GiB, rounded up to a whole GiB as Cinder does
     * @param safeToManage whether it may be managed now
     * @param reasonNotSafe why not (null when it is safe)
     * @param cinderId the volume it already is (null when none)
     * @param extraInfo anything else worth telling (null when nothing)
     */
    record ManageableVolume(String reference, int sizeGib, boolean safeToManage, String reasonNotSafe,
                            String cinderId, String extraInfo) {
        public ManageableVolume {
            if (reference == null || reference.isEmpty()) {
                throw new IllegalArgumentException("a manageable volume needs a reference");
            }
        }
    }

    /**
     * Everything on this driver's storage that could be a volume, in no particular order; storage
     * that already is one of {@code managedVolumeIds} (the volumes the service's rows place on this
     * backend) is listed as not safe to manage, {@code already managed}, with its id.
     */
    List<ManageableVolume> manageableVolumes(Set<String> managedVolumeIds);

    /**
     * The size in GiB, rounded up to a whole GiB, that the storage named {@code reference} would
     * have as a managed volume (Cinder's {@code manage_existing_get_size}), without changing it.
     *
     * @throws InvalidReferenceException when the reference names nothing this driver can manage
     */
    int manageableSize(String reference);

    /**
     * Makes the storage named {@code reference} the volume {@code volumeId}: afterwards it is
     * that volume in every way (the driver's other methods see it under that id), sized the whole
     * GiB {@link #manageableSize} said (the driver grows it to that size if it must); its bytes are
     * kept. Done again after it succeeded (the reference gone, the volume there), it changes nothing.
     *
     * @return the volume's size in GiB
     * @throws InvalidReferenceException when the reference names nothing this driver can manage, or
     *     the volume id is already taken on the storage
     */
    int manageExisting(String volumeId, String reference);

    /**
     * Lets go of the volume: the driver no longer knows it as {@code volumeId} (nor counts its
     * capacity), and its bytes stay on the storage under a name that a later
     * {@link #manageableVolumes} lists as safe to manage. A volume that is not there is fine (idempotent).
     */
    void unmanage(String volumeId);

    /** A reference that names nothing the driver can manage, with why in words a user can act on. */
    final class InvalidReferenceException extends VolumeDriverException {
        private static final long serialVersionUID = 1L;

        public InvalidReferenceException(String message) {
            super(message);
        }
    }
}
