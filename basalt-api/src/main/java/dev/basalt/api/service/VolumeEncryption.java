package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.model.VolumeType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a new volume is encrypted, and its key id, as Cinder's volume create decides: a volume of
 * a type with an encryption gets a key (a copy of its source's key when made from an encrypted
 * snapshot or volume, else a new one); a volume of any other type gets none. An encrypted volume
 * cannot be multiattach. Basalt does not write images encrypted (Cinder's volume manager formats the
 * volume with LUKS and copies the image into it), so an encrypted volume is not made from an image:
 * the host would find no LUKS header and format the volume over the image's data.
 */
final class VolumeEncryption {
    private final EncryptionRepository encryption;
    private final EncryptionKeys keys;

    VolumeEncryption(EncryptionRepository encryption, EncryptionKeys keys) {
        this.encryption = requireNonNull(encryption, "encryption");
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * Refuses a type other than the source's whose encryption differs from the source type's (the
     * data would be encrypted one way and read another), with Cinder's messages.
     */
    void checkSourceType(VolumeType type, Optional<VolumeSources.Source> source) {
        if (source.isEmpty() || type.id().equals(source.get().volumeTypeId())
                || Objects.equals(settings(type.id()), settings(source.get().volumeTypeId()))) {
            return;
        }
        throw BasaltException.badRequest("Invalid input received: Invalid volume_type provided: %s (requested type"
                + " is not compatible; %s).", type.id(), source.get().snapshotId() != null
                ? "recommend omitting the type argument" : "either match source volume, or omit type argument");
    }

    /** The type's encryption as Cinder compares two types' (without ids and times); empty when none. */
    private Optional<List<Object>> settings(String typeId) {
        return typeId == null ? Optional.empty() : encryption.forType(typeId)
                .map(e -> Arrays.asList(e.provider(), e.cipher(), e.keySize(), e.controlLocation()));
    }

    /** The new volume's key id, or null when its type is not encrypted. */
    String keyIdFor(VolumeType type, Optional<VolumeSources.Source> source, boolean multiattach, boolean fromImage) {
        String keyId = encryption.forType(type.id()).map(e -> {
            String sourceKey = source.map(VolumeSources.Source::encryptionKeyId).orElse(null);
            return sourceKey != null ? keys.copy(sourceKey) : keys.create(e);
        }).orElse(null);
        if (keyId != null && multiattach) {
            throw BasaltException.badRequest("Invalid volume: Multiattach cannot be used with encrypted volumes.");
        }
        if (keyId != null && fromImage) {
            throw BasaltException.badRequest("Basalt cannot make a volume of an encrypted volume type from an image"
                    + " yet (it does not write images encrypted); use a volume type without encryption.");
        }
        return keyId;
    }
}
