package dev.basalt.db;

import static dev.basalt.db.ListColumn.Kind.BOOLEAN;
import static dev.basalt.db.ListColumn.Kind.INTEGER;
import static dev.basalt.db.ListColumn.Kind.TEXT;

import dev.basalt.model.Volume;
import java.util.List;
import java.util.Map;

/** The volume fields a {@link VolumeQuery} may filter or sort by, in the order of the table's columns. */
final class VolumeColumns {
    static final ListColumns<Volume> ALL = new ListColumns<>(List.of(
            ListColumn.of("id", "id", TEXT, Volume::id),
            ListColumn.of("project_id", "project_id", TEXT, Volume::projectId),
            ListColumn.nullableText("user_id", "user_id", Volume::userId),
            ListColumn.nullableText("name", "display_name", Volume::name),
            ListColumn.nullableText("description", "display_description", Volume::description),
            ListColumn.of("size", "size", INTEGER, Volume::size),
            ListColumn.of("status", "status", TEXT, v -> v.status().apiName()),
            ListColumn.of("attach_status", "attach_status", TEXT, v -> v.attachStatus().apiName()),
            ListColumn.nullableText("availability_zone", "availability_zone", Volume::availabilityZone),
            ListColumn.nullableText("host", "host", Volume::host),
            ListColumn.nullableText("volume_type_id", "volume_type_id", Volume::volumeTypeId),
            ListColumn.of("bootable", "bootable", BOOLEAN, Volume::bootable),
            ListColumn.of("multiattach", "multiattach", BOOLEAN, Volume::multiattach),
            ListColumn.nullableText("snapshot_id", "snapshot_id", Volume::snapshotId),
            ListColumn.nullableText("source_volid", "source_volid", Volume::sourceVolid),
            ListColumn.nullableText("service_uuid", "service_uuid", Volume::serviceUuid),
            ListColumn.createdAt(Volume::createdAt),
            ListColumn.updatedAt(Volume::updatedAt, Volume::createdAt),
            ListColumn.nullableText("group_id", "group_id", Volume::groupId),
            ListColumn.nullableText("migration_status", "migration_status", Volume::migrationStatus)),
            Map.of("display_name", "name"));

    private VolumeColumns() {
    }
}
