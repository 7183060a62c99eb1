package dev.basalt.db;

import dev.basalt.model.Volume;

/** The value a marker volume has for a sort column, as that column's sort expression sees it. */
final class MarkerValues {
    private MarkerValues() {
    }

    static Object of(Volume v, VolumeColumn column) {
        return switch (column) {
            case ID -> v.id();
            case NAME -> orEmpty(v.name());
            case DESCRIPTION -> orEmpty(v.description());
            case STATUS -> v.status().apiName();
            case SIZE -> v.size();
            case AVAILABILITY_ZONE -> orEmpty(v.availabilityZone());
            case BOOTABLE -> v.bootable();
            case VOLUME_TYPE_ID -> orEmpty(v.volumeTypeId());
            case PROJECT_ID -> v.projectId();
            case USER_ID -> orEmpty(v.userId());
            case HOST -> orEmpty(v.host());
            case CREATED_AT -> Rows.timestamp(v.createdAt());
            case UPDATED_AT -> Rows.timestamp(v.updatedAt() != null ? v.updatedAt() : v.createdAt());
            case MULTIATTACH -> v.multiattach();
            case ATTACH_STATUS -> v.attachStatus().apiName();
            case SNAPSHOT_ID -> orEmpty(v.snapshotId());
            case SOURCE_VOLID -> orEmpty(v.sourceVolid());
            case SERVICE_UUID -> orEmpty(v.serviceUuid());
        };
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
