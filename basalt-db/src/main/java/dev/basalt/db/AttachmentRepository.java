package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.basalt.common.Json;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeAttachment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads volume attachments ({@code volume_attachments}); {@link AttachmentTransitions} changes them. */
public final class AttachmentRepository {
    static final String COLUMNS = "id, volume_id, project_id, instance_uuid, attached_host, mountpoint, attach_status,"
            + " attach_mode, connector, connection_info, attach_time, detach_time, created_at, updated_at";
    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /**
     * What to list: the attachments of {@code projectId} (every project's when null), narrowed by
     * the filters that are not null.
     */
    public record Filter(String projectId, String volumeId, String instanceUuid, AttachStatus status) {
        public static Filter project(String projectId) {
            return new Filter(projectId, null, null, null);
        }
    }

    private final Jdbi jdbi;

    public AttachmentRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    public Optional<VolumeAttachment> find(String id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** The attachment if it exists and belongs to {@code projectId} (any project when null). */
    public Optional<VolumeAttachment> find(String id, String projectId) {
        return find(id).filter(a -> projectId == null || projectId.equals(a.projectId()));
    }

    /** The volume's attachments, oldest first. */
    public List<VolumeAttachment> ofVolume(String volumeId) {
        return jdbi.withHandle(h -> ofVolume(h, volumeId));
    }

    /** The attachments of each of the volumes that has some, oldest first, by volume id. */
    public Map<String, List<VolumeAttachment>> ofVolumes(Collection<String> volumeIds) {
        Map<String, List<VolumeAttachment>> byVolume = new LinkedHashMap<>();
        if (volumeIds.isEmpty()) {
            return byVolume;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volume_attachments WHERE volume_id IN (<ids>)"
                        + " ORDER BY created_at, id")
                .bindList("ids", List.copyOf(volumeIds))
                .map((rs, ctx) -> row(rs))
                .forEach(a -> byVolume.computeIfAbsent(a.volumeId(), k -> new java.util.ArrayList<>()).add(a)));
        return byVolume;
    }

    /** The attachments the filter admits, newest first. */
    public List<VolumeAttachment> list(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM volume_attachments WHERE 1 = 1");
        Map<String, Object> binds = new LinkedHashMap<>();
        where(sql, binds, "project_id", filter.projectId());
        where(sql, binds, "volume_id", filter.volumeId());
        where(sql, binds, "instance_uuid", filter.instanceUuid());
        where(sql, binds, "attach_status", filter.status() == null ? null : filter.status().apiName());
        sql.append(" ORDER BY created_at DESC, id DESC");
        return jdbi.withHandle(h -> h.createQuery(sql.toString()).bindMap(binds).map((rs, ctx) -> row(rs)).list());
    }

    private static void where(StringBuilder sql, Map<String, Object> binds, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = :").append(column);
            binds.put(column, value);
        }
    }

    static Optional<VolumeAttachment> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM volume_attachments WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    static List<VolumeAttachment> ofVolume(Handle h, String volumeId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM volume_attachments WHERE volume_id = :id"
                        + " ORDER BY created_at, id")
                .bind("id", volumeId).map((rs, ctx) -> row(rs)).list();
    }

    static VolumeAttachment row(ResultSet rs) throws SQLException {
        return new VolumeAttachment(rs.getString("id"), rs.getString("volume_id"), rs.getString("project_id"),
                rs.getString("instance_uuid"), rs.getString("attached_host"), rs.getString("mountpoint"),
                AttachStatus.fromApiName(rs.getString("attach_status")), rs.getString("attach_mode"),
                fromJson(rs.getString("connector")), fromJson(rs.getString("connection_info")),
                Rows.instant(rs, "attach_time"), Rows.instant(rs, "detach_time"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    static String toJson(Map<String, Object> object) {
        if (object == null || object.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> fromJson(String text) throws SQLException {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(text, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored JSON object does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
