package dev.basalt.rpc;

import java.util.Map;

/**
 * Asks the volume service that owns a {@code managing} volume to adopt the storage its driver
 * calls {@code reference} (Cinder's {@code source-name}) as that volume.
 *
 * @param gigabyteLimits the limits the volume's size must stay within, by stored quota key
 *     ({@code gigabytes}, {@code gigabytes:<type id>}, and {@code per_volume_gigabytes}; -1:
 *     unlimited), as they applied to the project when the API accepted the request: the size is
 *     only known once the volume service has looked at the storage, so it is reserved there
 */
public record ManageExisting(String volumeId, String reference, String requestId,
                             Map<String, Integer> gigabyteLimits) {
    public ManageExisting {
        gigabyteLimits = gigabyteLimits == null ? Map.of() : Map.copyOf(gigabyteLimits);
    }
}
