package dev.basalt.driver;

import dev.basalt.common.Ids;

/**
 * Checks volume and snapshot ids before a driver turns them into names on its storage (file names,
 * image names): only UUID forms pass, so no id can reach outside the driver's own namespace
 * ({@code ../}, {@code /}, empty, ...).
 */
public final class VolumeIds {

    private VolumeIds() {
    }

    /**
     * Returns the id when it is a UUID (as {@link Ids#isUuidLike} defines it), else throws
     * {@link IllegalArgumentException}.
     */
    public static String requireValid(String volumeId) {
        return requireUuid("volume", volumeId);
    }

    /** As {@link #requireValid} for a snapshot's id. */
    public static String requireValidSnapshotId(String snapshotId) {
        return requireUuid("snapshot", snapshotId);
    }

    /** As {@link #requireValid} for the id of a backup base (a backup's id). */
    public static String requireValidBackupBaseId(String baseId) {
        return requireUuid("backup base", baseId);
    }

    private static String requireUuid(String kind, String id) {
        if (!Ids.isUuidLike(id)) {
            throw new IllegalArgumentException("not a " + kind + " id (a UUID is expected): " + quoted(id));
        }
        return id;
    }

    private static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return '"' + shown + '"';
    }
}
