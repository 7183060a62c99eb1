package dev.basalt.driver.rbd;

import dev.basalt.driver.VolumeIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of Basalt's images and snapshots in a pool, as Cinder's RBD driver names them, so that
 * images written by either are recognised: {@code volume-<id>}, {@code snapshot-<id>}, the temporary
 * snapshot of a clone {@code volume-<clone id>.clone_snap}, and {@code volume-<id>.deleted}, a deleted
 * volume kept (hidden) while its snapshots or clones still need its data.
 */
final class RbdNames {
    static final String DELETED_SUFFIX = ".deleted";
    static final String CLONE_SNAP_SUFFIX = ".clone_snap";
    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern VOLUME = Pattern.compile("volume-(" + UUID + ")");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(" + UUID + ")");

    private RbdNames() {
    }

    static String volume(String volumeId) {
        return "volume-" + VolumeIds.requireValid(volumeId);
    }

    /** Where an unmanaged volume's image goes: Basalt no longer counts it as a volume. */
    static String unmanagedVolume(String volumeId) {
        return "unmanaged-" + volume(volumeId);
    }

    static String deletedVolume(String volumeId) {
        return volume(volumeId) + DELETED_SUFFIX;
    }

    static String snapshot(String snapshotId) {
        return "snapshot-" + VolumeIds.requireValidSnapshotId(snapshotId);
    }

    /** Where an unmanaged snapshot goes on its volume's image: Basalt no longer counts it as a snapshot. */
    static String unmanagedSnapshot(String snapshotId) {
        return "unmanaged-" + snapshot(snapshotId);
    }

    /** The snapshot id of a {@code snapshot-<uuid>} snapshot name. */
    static Optional<String> snapshotId(String snapshot) {
        Matcher matcher = SNAPSHOT.matcher(snapshot);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The temporary snapshot of the source that a clone {@code cloneVolumeId} is made from. */
    static String cloneSnapshot(String cloneVolumeId) {
        return volume(cloneVolumeId) + CLONE_SNAP_SUFFIX;
    }

    /** Whether the image is a live volume's ({@code volume-<uuid>}, not deleted). */
    static boolean isVolume(String image) {
        return VOLUME.matcher(image).matches();
    }

    /** Whether the image is a volume's, live or deleted but kept. */
    static boolean isVolumeOrDeleted(String image) {
        return isVolume(image) || image.endsWith(DELETED_SUFFIX)
                && isVolume(image.substring(0, image.length() - DELETED_SUFFIX.length()));
    }

    static boolean isDeleted(String image) {
        return image.endsWith(DELETED_SUFFIX);
    }

    /** Whether the snapshot is a user's ({@code snapshot-<uuid>}) rather than a clone's temporary one. */
    static boolean isSnapshot(String snapshot) {
        return SNAPSHOT.matcher(snapshot).matches();
    }

    static boolean isCloneSnapshot(String snapshot) {
        return snapshot.endsWith(CLONE_SNAP_SUFFIX);
    }

    /** The volume id of a {@code volume-<uuid>} image name. */
    static Optional<String> volumeId(String image) {
        Matcher matcher = VOLUME.matcher(image);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
