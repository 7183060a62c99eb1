package dev.basalt.db;

import static dev.basalt.db.ListColumn.Kind.INTEGER;
import static dev.basalt.db.ListColumn.Kind.TEXT;
import static dev.basalt.db.ListColumn.Kind.TIMESTAMP;

import dev.basalt.model.Backup;
import java.util.List;
import java.util.Map;

/** The backup fields a {@link BackupQuery} may filter or sort by, in the order of the table's columns. */
final class BackupColumns {
    static final ListColumns<Backup> ALL = new ListColumns<>(List.of(
            ListColumn.of("id", "id", TEXT, Backup::id),
            ListColumn.of("project_id", "project_id", TEXT, Backup::projectId),
            ListColumn.nullableText("user_id", "user_id", Backup::userId),
            ListColumn.of("volume_id", "volume_id", TEXT, Backup::volumeId),
            ListColumn.nullableText("snapshot_id", "snapshot_id", Backup::snapshotId),
            ListColumn.nullableText("host", "host", Backup::host),
            ListColumn.nullableText("availability_zone", "availability_zone", Backup::availabilityZone),
            ListColumn.nullableText("name", "display_name", Backup::name),
            ListColumn.nullableText("description", "display_description", Backup::description),
            ListColumn.nullableText("container", "container", Backup::container),
            ListColumn.of("status", "status", TEXT, b -> b.status().apiName()),
            ListColumn.nullableText("service", "service", Backup::service),
            ListColumn.of("size", "size", INTEGER, Backup::size),
            ListColumn.of("object_count", "object_count", INTEGER, Backup::objectCount),
            ListColumn.nullableText("parent_id", "parent_id", Backup::parentId),
            new ListColumn<>("data_timestamp", "data_timestamp", "COALESCE(data_timestamp, created_at)", TIMESTAMP,
                    b -> Rows.timestamp(b.dataTimestamp() != null ? b.dataTimestamp() : b.createdAt())),
            ListColumn.nullableText("restore_volume_id", "restore_volume_id", Backup::restoreVolumeId),
            ListColumn.createdAt(Backup::createdAt),
            ListColumn.updatedAt(Backup::updatedAt, Backup::createdAt)),
            Map.of("display_name", "name", "display_description", "description"));

    private BackupColumns() {
    }
}
