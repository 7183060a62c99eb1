package dev.basalt.rpc;

import java.util.List;

/**
 * What snapshots a backend's storage holds that could be managed, in no particular order (the API
 * sorts and pages it); empty when its driver cannot manage snapshots.
 */
public record ManageableSnapshots(List<Entry> snapshots) {
    public ManageableSnapshots {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /**
     * One snapshot on the storage, as Cinder's {@code get_manageable_snapshots} describes it.
     *
     * @param reference its {@code source-name}
     * @param size GiB, rounded up
     * @param reasonNotSafe null when safe
     * @param cinderId the snapshot it already is, or null
     * @param extraInfo anything else, or null
     * @param sourceReference the {@code source-name} of the volume it is a snapshot of
     */
    public record Entry(String reference, int size, boolean safeToManage, String reasonNotSafe, String cinderId,
                        String extraInfo, String sourceReference) {
    }
}
