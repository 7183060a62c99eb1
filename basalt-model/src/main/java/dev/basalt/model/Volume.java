package dev.basalt.model;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A volume as stored. {@code host} is where it lives once scheduled, in Cinder's
 * {@code host@backend#pool} form; null while not yet placed. {@code errorReason} keeps why an
 * asynchronous operation failed, for the user. {@code adminMetadata} is what Cinder keeps as a
 * volume's admin metadata ({@code readonly}, {@code extend_new_size} while extending,
 * {@code from_backup_id} for a volume made from a backup); only {@link #VISIBLE_ADMIN_METADATA}
 * keys are ever shown to users. {@code groupId} is the generic volume group (3.13) the volume is in,
 * null when none. {@code encryptionKeyId} is the id of its encryption key in the key manager, given
 * when it is made of an encrypted type; null: not encrypted. {@code migrationStatus} is Cinder's
 * {@code migration_status} ({@code starting}, {@code migrating}, {@code completing} while a migration
 * runs; {@code success} or {@code error} after one; null: never migrated).
 */
public record Volume(
        String id,
        String projectId,
        String userId,
        String name,
        String description,
        int size,
        VolumeStatus status,
        AttachStatus attachStatus,
        String availabilityZone,
        String host,
        String volumeTypeId,
        boolean bootable,
        boolean multiattach,
        String snapshotId,
        String sourceVolid,
        String serviceUuid,
        String errorReason,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        Instant launchedAt,
        Map<String, String> adminMetadata,
        String groupId,
        String encryptionKeyId,
        String migrationStatus) {

    /** Admin metadata keys that users see merged into the volume's metadata (as Cinder shows them). */
    public static final List<String> VISIBLE_ADMIN_METADATA = List.of("readonly", "attached_mode");

    /** Whether the volume is read-only ({@code readonly} admin metadata {@code True}). */
    public boolean readOnly() {
        return "True".equals(adminMetadata.get(READONLY));
    }
    /** Admin metadata key: the volume is read-only ({@code True}/{@code False}, os-update_readonly_flag). */
    public static final String READONLY = "readonly";
    /** Admin metadata key: the mode ({@code rw}/{@code ro}) the volume is attached in, while attached. */
    public static final String ATTACHED_MODE = "attached_mode";
    /** Admin metadata key: the size an {@code extending} volume grows to, so a restart can finish it. */
    public static final String EXTEND_NEW_SIZE = "extend_new_size";
    /**
     * Admin metadata key: the backup a volume is being made from (a create with {@code backup_id}),
     * so that a create sent again after a lost message still restores it.
     */
    public static final String FROM_BACKUP_ID = "from_backup_id";
    /**
     * Admin metadata key: the image a volume is being made from (a create with {@code imageRef}),
     * so that a create sent again without the image and the caller's token fails the volume rather
     * than leave it blank.
     */
    public static final String FROM_IMAGE_ID = "from_image_id";

    public Volume {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        adminMetadata = adminMetadata == null ? Map.of() : Map.copyOf(adminMetadata);
    }

    /** A volume never migrated. */
    public Volume(String id, String projectId, String userId, String name, String description, int size,
                  VolumeStatus status, AttachStatus attachStatus, String availabilityZone, String host,
                  String volumeTypeId, boolean bootable, boolean multiattach, String snapshotId, String sourceVolid,
                  String serviceUuid, String errorReason, Map<String, String> metadata, Instant createdAt,
                  Instant updatedAt, Instant launchedAt, Map<String, String> adminMetadata, String groupId,
                  String encryptionKeyId) {
        this(id, projectId, userId, name, description, size, status, attachStatus, availabilityZone, host,
                volumeTypeId, bootable, multiattach, snapshotId, sourceVolid, serviceUuid, errorReason, metadata,
                createdAt, updatedAt, launchedAt, adminMetadata, groupId, encryptionKeyId, null);
    }

    /** A volume in no group, not encrypted. */
    public Volume(String id, String projectId, String userId, String name, String description, int size,
                  VolumeStatus status, AttachStatus attachStatus, String availabilityZone, String host,
                  String volumeTypeId, boolean bootable, boolean multiattach, String snapshotId, String sourceVolid,
                  String serviceUuid, String errorReason, Map<String, String> metadata, Instant createdAt,
                  Instant updatedAt, Instant launchedAt, Map<String, String> adminMetadata) {
        this(id, projectId, userId, name, description, size, status, attachStatus, availabilityZone, host,
                volumeTypeId, bootable, multiattach, snapshotId, sourceVolid, serviceUuid, errorReason, metadata,
                createdAt, updatedAt, launchedAt, adminMetadata, null, null);
    }

    /** A volume without admin metadata, in no group, not encrypted. */
    public Volume(String id, String projectId, String userId, String name, String description, int size,
                  VolumeStatus status, AttachStatus attachStatus, String availabilityZone, String host,
                  String volumeTypeId, boolean bootable, boolean multiattach, String snapshotId, String sourceVolid,
                  String serviceUuid, String errorReason, Map<String, String> metadata, Instant createdAt,
                  Instant updatedAt, Instant launchedAt) {
        this(id, projectId, userId, name, description, size, status, attachStatus, availabilityZone, host,
                volumeTypeId, bootable, multiattach, snapshotId, sourceVolid, serviceUuid, errorReason, metadata,
                createdAt, updatedAt, launchedAt, Map.of());
    }

    /** The user metadata with the visible admin metadata merged in (admin values win), as views show it. */
    public Map<String, String> visibleMetadata() {
        Map<String, String> shown = null;
        for (String key : VISIBLE_ADMIN_METADATA) {
            String value = adminMetadata.get(key);
            if (value != null) {
                if (shown == null) {
                    shown = new HashMap<>(metadata);
                }
                shown.put(key, value);
            }
        }
        return shown == null ? metadata : shown;
    }

    /** Whether the volume is encrypted: it has a key id (its type had an encryption when it was made). */
    public boolean encrypted() {
        return encryptionKeyId != null;
    }

    /** The backend part of {@code host} ({@code host@backend}), or null when unplaced. */
    public String backend() {
        return host == null ? null : BackendName.backendOf(host);
    }

    public Volume withStatus(VolumeStatus newStatus) {
        return new Volume(id, projectId, userId, name, description, size, newStatus, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, metadata, createdAt, updatedAt, launchedAt, adminMetadata, groupId, encryptionKeyId, migrationStatus);
    }

    public Volume withMetadata(Map<String, String> newMetadata) {
        return new Volume(id, projectId, userId, name, description, size, status, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, newMetadata, createdAt, updatedAt, launchedAt, adminMetadata, groupId, encryptionKeyId, migrationStatus);
    }

    /** The volume with both its metadata and its admin metadata replaced. */
    public Volume withMetadata(Map<String, String> newMetadata, Map<String, String> newAdminMetadata) {
        return new Volume(id, projectId, userId, name, description, size, status, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, newMetadata, createdAt, updatedAt, launchedAt, newAdminMetadata, groupId, encryptionKeyId, migrationStatus);
    }

    public Volume withAdminMetadata(Map<String, String> newAdminMetadata) {
        return new Volume(id, projectId, userId, name, description, size, status, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, metadata, createdAt, updatedAt, launchedAt, newAdminMetadata, groupId, encryptionKeyId, migrationStatus);
    }

    /** The volume in group {@code newGroupId} (none when null). */
    public Volume withGroupId(String newGroupId) {
        return new Volume(id, projectId, userId, name, description, size, status, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, metadata, createdAt, updatedAt, launchedAt, adminMetadata, newGroupId, encryptionKeyId, migrationStatus);
    }
}
