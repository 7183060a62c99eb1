package dev.basalt.db;

import static dev.basalt.db.ListColumn.Kind.INTEGER;
import static dev.basalt.db.ListColumn.Kind.TEXT;

import dev.basalt.model.Snapshot;
import java.util.List;
import java.util.Map;

/** The snapshot fields a {@link SnapshotQuery} may filter or sort by, in the order of the table's columns. */
final class SnapshotColumns {
    static final ListColumns<Snapshot> ALL = new ListColumns<>(List.of(
            ListColumn.of("id", "id", TEXT, Snapshot::id),
            ListColumn.of("volume_id", "volume_id", TEXT, Snapshot::volumeId),
            ListColumn.of("project_id", "project_id", TEXT, Snapshot::projectId),
            ListColumn.nullableText("user_id", "user_id", Snapshot::userId),
            ListColumn.nullableText("name", "display_name", Snapshot::name),
            ListColumn.nullableText("description", "display_description", Snapshot::description),
            ListColumn.of("status", "status", TEXT, s -> s.status().apiName()),
            ListColumn.nullableText("progress", "progress", Snapshot::progress),
            ListColumn.of("volume_size", "volume_size", INTEGER, Snapshot::volumeSize),
            ListColumn.nullableText("volume_type_id", "volume_type_id", Snapshot::volumeTypeId),
            ListColumn.createdAt(Snapshot::createdAt),
            ListColumn.updatedAt(Snapshot::updatedAt, Snapshot::createdAt),
            ListColumn.nullableText("group_snapshot_id", "group_snapshot_id", Snapshot::groupSnapshotId)),
            Map.of("display_name", "name", "display_description", "description", "size", "volume_size"));

    private SnapshotColumns() {
    }
}
