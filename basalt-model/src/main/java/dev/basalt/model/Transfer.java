package dev.basalt.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An offer to give a volume to another project (Cinder's volume transfer). The auth key is never
 * kept: only {@code salt} and {@code cryptHash} (HMAC-SHA1 of the key under the salt, hex), so the
 * key can be checked but not read back. {@code noSnapshots}: the volume goes without its snapshots.
 * Once accepted the transfer records its {@code destinationProjectId} and is deleted (history).
 */
public record Transfer(String id, String volumeId, String name, String salt, String cryptHash,
                       boolean noSnapshots, String sourceProjectId, String destinationProjectId, boolean accepted,
                       Instant createdAt, Instant updatedAt) {
    public Transfer {
        requireNonNull(id, "id");
        requireNonNull(volumeId, "volumeId");
        requireNonNull(salt, "salt");
        requireNonNull(cryptHash, "cryptHash");
    }
}
