package dev.basalt.api.resources;

import static dev.basalt.api.resources.Fields.bool;
import static dev.basalt.api.resources.Fields.name;
import static dev.basalt.api.resources.Fields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import dev.basalt.api.service.Restore;
import dev.basalt.model.Backup;
import dev.basalt.rpc.BackupRecord;
import java.io.IOException;
import java.util.List;

/**
 * Cinder's backup views, written straight to the output.
 *
 * <ul>
 *   <li>Summary (the plain list, create, update, import): {@code id, name, links}.</li>
 *   <li>Detail (show, detail list): {@code id, status, size, object_count, availability_zone,
 *       container, created_at, updated_at, name, description, fail_reason, volume_id, links,
 *       is_incremental, has_dependent_backups, snapshot_id, data_timestamp}, Basalt's own
 *       {@code basalt:progress}, plus {@code metadata}
 *       from 3.43 and, for callers that {@code backup:backup_project_attribute} allows (administrators
 *       by default), {@code os-backup-project-attr:project_id} from 3.18 and {@code user_id} from
 *       3.56. {@code encryption_key_id} (3.64) never shows: Cinder hides the fixed-key manager's key id,
 *       the only key Basalt gives.</li>
 * </ul>
 * A page that reached its limit ends with {@code backups_links}; {@code count} follows when asked.
 *
 * <p>{@code basalt:progress} is not Cinder's: how far the backup's create or last restore got, as
 * a percentage text like Cinder's snapshot attribute {@code os-extended-snapshot-attributes:progress}
 * ({@code "42%"}; {@code "100%"} once done; null before a backup service took the backup or for an
 * imported record). Named with Basalt's prefix so that it cannot clash with a field Cinder adds;
 * clients ignore (or just print) fields they do not know. Only in the detailed view.
 */
final class BackupView {
    static final String COLLECTION = "backups";
    static final String PROJECT_ATTRIBUTE_POLICY = "backup:backup_project_attribute";

    private static final SerializableString ID = name("id");
    private static final SerializableString NAME = name("name");
    private static final SerializableString STATUS = name("status");
    private static final SerializableString SIZE = name("size");
    private static final SerializableString OBJECT_COUNT = name("object_count");
    private static final SerializableString AVAILABILITY_ZONE = name("availability_zone");
    private static final SerializableString CONTAINER = name("container");
    private static final SerializableString CREATED_AT = name("created_at");
    private static final SerializableString UPDATED_AT = name("updated_at");
    private static final SerializableString DESCRIPTION = name("description");
    private static final SerializableString FAIL_REASON = name("fail_reason");
    private static final SerializableString VOLUME_ID = name("volume_id");
    private static final SerializableString IS_INCREMENTAL = name("is_incremental");
    private static final SerializableString HAS_DEPENDENT_BACKUPS = name("has_dependent_backups");
    private static final SerializableString SNAPSHOT_ID = name("snapshot_id");
    private static final SerializableString DATA_TIMESTAMP = name("data_timestamp");
    private static final SerializableString PROGRESS = name("basalt:progress");
    private static final SerializableString PROJECT_ATTR = name("os-backup-project-attr:project_id");
    private static final SerializableString USER_ID = name("user_id");

    /** Which fields a view of one request has, worked out once per request. */
    private record Shape(Links.Collection links, boolean detail, boolean metadata, boolean projectId,
                         boolean userId) {
        static Shape of(ApiRequest request, boolean detail) {
            boolean attributes = detail && request.allowed(PROJECT_ATTRIBUTE_POLICY);
            return new Shape(Links.forCollection(request, COLLECTION), detail,
                    detail && request.atLeast(Microversions.BACKUP_METADATA),
                    attributes && request.atLeast(Microversions.BACKUP_PROJECT),
                    attributes && request.atLeast(Microversions.BACKUP_PROJECT_USER_ID));
        }
    }

    /** {@code {"backup": {...}}}, detailed or in summary. */
    JsonBody one(ApiRequest request, Backup backup, boolean detailed) {
        Shape shape = Shape.of(request, detailed);
        return out -> {
            out.writeStartObject();
            out.writeFieldName("backup");
            write(out, shape, backup);
            out.writeEndObject();
        };
    }

    /** {@code {"backups": [...], "backups_links": [...], "count": n}}. */
    JsonBody list(ApiRequest request, List<Backup> backups, boolean detailed, Long count, boolean nextLink) {
        Shape shape = Shape.of(request, detailed);
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart(COLLECTION);
            for (Backup b : backups) {
                write(out, shape, b);
            }
            out.writeEndArray();
            if (nextLink) {
                Links.writeNext(out, COLLECTION + "_links", request, detailed ? COLLECTION + "/detail" : COLLECTION,
                        backups.get(backups.size() - 1).id());
            }
            if (count != null && request.atLeast(Microversions.SUPPORT_COUNT_INFO)) {
                out.writeNumberField("count", count);
            }
            out.writeEndObject();
        };
    }

    /** {@code {"restore": {"backup_id", "volume_id", "volume_name"}}}. */
    JsonBody restore(Restore restore) {
        return strings("restore", "backup_id", restore.backupId(), "volume_id", restore.volumeId(), "volume_name",
                restore.volumeName());
    }

    /** {@code {"backup-record": {"backup_service", "backup_url"}}}. */
    JsonBody record(BackupRecord record) {
        return strings("backup-record", "backup_service", record.backupService(), "backup_url", record.backupUrl());
    }

    /** {@code {"<wrapper>": {name: value, ...}}} from alternating names and string values. */
    private static JsonBody strings(String wrapper, String... namesAndValues) {
        return out -> {
            out.writeStartObject();
            out.writeObjectFieldStart(wrapper);
            for (int i = 0; i < namesAndValues.length; i += 2) {
                out.writeStringField(namesAndValues[i], namesAndValues[i + 1]);
            }
            out.writeEndObject();
            out.writeEndObject();
        };
    }

    private static void write(JsonGenerator out, Shape shape, Backup b) throws IOException {
        out.writeStartObject();
        string(out, ID, b.id());
        if (shape.detail()) {
            string(out, STATUS, b.status().apiName());
            out.writeFieldName(SIZE);
            out.writeNumber(b.size());
            out.writeFieldName(OBJECT_COUNT);
            out.writeNumber(b.objectCount());
            string(out, AVAILABILITY_ZONE, b.availabilityZone());
            string(out, CONTAINER, b.container());
            Timestamps.write(out, CREATED_AT, b.createdAt());
            Timestamps.write(out, UPDATED_AT, b.updatedAt());
        }
        string(out, NAME, b.name());
        if (shape.detail()) {
            string(out, DESCRIPTION, b.description());
            string(out, FAIL_REASON, b.failReason());
            string(out, VOLUME_ID, b.volumeId());
        }
        shape.links().write(out, b.id());
        if (shape.detail()) {
            bool(out, IS_INCREMENTAL, b.incremental());
            bool(out, HAS_DEPENDENT_BACKUPS, b.hasDependentBackups());
            string(out, SNAPSHOT_ID, b.snapshotId());
            Timestamps.write(out, DATA_TIMESTAMP, b.dataTimestamp());
            string(out, PROGRESS, b.progress() == null ? null : b.progress() + "%");
        }
        if (shape.metadata()) {
            VolumeView.writeMetadata(out, b.metadata());
        }
        if (shape.projectId()) {
            string(out, PROJECT_ATTR, b.projectId());
        }
        if (shape.userId()) {
            string(out, USER_ID, b.userId());
        }
        out.writeEndObject();
    }
}
