package dev.basalt.rpc;

import java.time.Instant;

/**
 * Which work in flight to clean up (Cinder's {@code CleanupRequest}): that of the services matching
 * every filter given (null: any) — {@code serviceId} (the service's number), {@code clusterName},
 * {@code host} ({@code host} also matches its {@code host@backend}s), {@code binary}, {@code isUp},
 * {@code disabled} — limited to one resource ({@code resourceId}) or kind ({@code resourceType}:
 * {@code Volume}, {@code Snapshot}) when given, and to work recorded no later than {@code until}.
 *
 * <p>Sent by the api to a scheduler ({@link SchedulerRpc#workCleanup}), which sends it on to the
 * volume service that is to clean ({@link VolumeRpc#doCleanup}) with {@code serviceId} naming the
 * service whose work it is.
 */
public record CleanupRequest(
        Integer serviceId,
        String clusterName,
        String host,
        String binary,
        Boolean isUp,
        Boolean disabled,
        String resourceId,
        String resourceType,
        Instant until) {

    /** The same request for the work of service {@code id} only. */
    public CleanupRequest forService(int id) {
        return new CleanupRequest(id, clusterName, host, binary, isUp, disabled, resourceId, resourceType, until);
    }
}
