package dev.basalt.rpc;

import java.util.Map;

/**
 * Asks the volume service that owns a {@code creating} managed snapshot to adopt the snapshot its
 * driver calls {@code reference} (Cinder's {@code source-name}) of the snapshot's volume as that
 * snapshot.
 *
 * @param gigabyteLimits the limits the snapshot's size must stay within, by stored quota key
 *     ({@code gigabytes}, {@code gigabytes:<type id>}; -1: unlimited), as they applied to the
 *     project when the API accepted the request: the API reserved the volume's size, and the volume
 *     service reserves (or gives back) the difference once it knows the snapshot's
 */
public record ManageExistingSnapshot(String snapshotId, String reference, String requestId,
                                     Map<String, Integer> gigabyteLimits) {
    public ManageExistingSnapshot {
        gigabyteLimits = gigabyteLimits == null ? Map.of() : Map.copyOf(gigabyteLimits);
    }
}
