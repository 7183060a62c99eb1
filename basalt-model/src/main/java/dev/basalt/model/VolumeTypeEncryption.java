package dev.basalt.model;

import java.time.Instant;

/**
 * A volume type's encryption (Cinder's {@code encryption} row): the provider that encrypts its
 * volumes ({@code luks}, {@code plain}, or a class path), the cipher and key size it uses (null:
 * the provider's default), and who encrypts ({@code front-end}: the host; {@code back-end}: the
 * storage). A type has at most one; its volumes are encrypted and each gets a key id.
 */
public record VolumeTypeEncryption(
        String encryptionId,
        String volumeTypeId,
        String provider,
        String cipher,
        Integer keySize,
        String controlLocation,
        Instant createdAt,
        Instant updatedAt) {

    /** Where encryption happens, as Cinder's API accepts it. */
    public static final java.util.List<String> CONTROL_LOCATIONS = java.util.List.of("front-end", "back-end");
}
