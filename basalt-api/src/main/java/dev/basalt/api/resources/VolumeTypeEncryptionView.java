package dev.basalt.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.common.Json;
import dev.basalt.model.VolumeTypeEncryption;

/**
 * A volume type's encryption as Cinder shows it: every column of its row, including the soft-delete
 * ones (Basalt removes rows, so {@code deleted} is always false and {@code deleted_at} null).
 */
final class VolumeTypeEncryptionView {
    private VolumeTypeEncryptionView() {
    }

    static ObjectNode of(VolumeTypeEncryption e) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("created_at", Timestamps.format(e.createdAt()));
        node.put("updated_at", Timestamps.format(e.updatedAt()));
        node.putNull("deleted_at");
        node.put("deleted", false);
        node.put("encryption_id", e.encryptionId());
        node.put("cipher", e.cipher());
        node.put("key_size", e.keySize());
        node.put("provider", e.provider());
        node.put("control_location", e.controlLocation());
        node.put("volume_type_id", e.volumeTypeId());
        return node;
    }
}
