package dev.basalt.db;

import dev.basalt.model.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Turns a {@link SnapshotQuery} into SQL the way {@link VolumeListQuery} does for volumes: filters,
 * sort keys with {@code id} as the final tie breaker, and keyset pagination after the marker.
 */
final class SnapshotListQuery {
    private final SnapshotQuery query;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> bindings = new LinkedHashMap<>();

    SnapshotListQuery(SnapshotQuery query) {
        this.query = query;
    }

    Page<Snapshot> run(Handle h, SnapshotRepository repository) {
        addFilters();
        Long total = query.withCount() ? count(h) : null;
        List<Sort> sort = new ArrayList<>(query.sort());
        List<SnapshotColumn> sortColumns = new ArrayList<>();
        for (Sort s : sort) {
            sortColumns.add(SnapshotColumn.of(s.key()));
        }
        if (!sortColumns.contains(SnapshotColumn.ID)) {
            sort.add(new Sort("id", sort.get(sort.size() - 1).ascending()));
            sortColumns.add(SnapshotColumn.ID);
        }
        if (query.marker() != null) {
            Snapshot marker = repository.findForMarker(h, query.marker(), query.projectId())
                    .orElseThrow(() -> VolumeRepository.markerNotFound(query.marker()));
            addAfterMarker(marker, sort, sortColumns);
        }
        StringBuilder sql = new StringBuilder("SELECT " + SnapshotRepository.COLUMNS + " FROM snapshots");
        appendWhere(sql);
        sql.append(" ORDER BY ");
        for (int i = 0; i < sort.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(sortColumns.get(i).sortExpression)
                    .append(sort.get(i).ascending() ? " ASC" : " DESC");
        }
        if (query.limit() != null) {
            sql.append(" LIMIT ").append(Math.max(0, query.limit()));
        }
        if (query.offset() != null && query.offset() > 0) {
            if (query.limit() == null) {
                sql.append(" LIMIT ").append(Integer.MAX_VALUE);
            }
            sql.append(" OFFSET ").append(query.offset());
        }
        Query q = h.createQuery(sql.toString());
        bindings.forEach(q::bind);
        List<Snapshot> snapshots = q.map((rs, ctx) -> SnapshotRepository.row(rs)).list();
        return new Page<>(repository.withMetadata(h, snapshots), total);
    }

    private long count(Handle h) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM snapshots");
        appendWhere(sql);
        Query q = h.createQuery(sql.toString());
        bindings.forEach(q::bind);
        return q.mapTo(Long.class).one();
    }

    private void addFilters() {
        if (query.projectId() != null) {
            conditions.add("project_id = :project_id_scope");
            bindings.put("project_id_scope", query.projectId());
        }
        int n = 0;
        for (Map.Entry<String, String> e : query.exact().entrySet()) {
            SnapshotColumn column = SnapshotColumn.of(e.getKey());
            String name = "f" + n++;
            conditions.add(column.column + " = :" + name);
            bindings.put(name, column.convert(e.getValue()));
        }
        for (Map.Entry<String, String> e : query.like().entrySet()) {
            SnapshotColumn column = SnapshotColumn.of(e.getKey());
            String name = "f" + n++;
            conditions.add(column.column + " LIKE :" + name);
            bindings.put(name, "%" + VolumeRepository.escapeLike(e.getValue()) + "%");
        }
        for (Map.Entry<String, String> e : query.metadata().entrySet()) {
            String k = "mk" + n;
            String v = "mv" + n++;
            conditions.add("EXISTS (SELECT 1 FROM snapshot_metadata m WHERE m.snapshot_id = snapshots.id"
                    + " AND m.meta_key = :" + k + " AND m.meta_value = :" + v + ")");
            bindings.put(k, e.getKey());
            bindings.put(v, e.getValue());
        }
        if (query.availabilityZone() != null) {
            conditions.add("EXISTS (SELECT 1 FROM volumes v WHERE v.id = snapshots.volume_id"
                    + " AND v.availability_zone = :az_filter)");
            bindings.put("az_filter", query.availabilityZone());
        }
        if (query.host() != null) {
            conditions.add("EXISTS (SELECT 1 FROM volumes v WHERE v.id = snapshots.volume_id AND (v.host = :host_filter"
                    + " OR v.host LIKE :host_backends OR v.host LIKE :host_pools))");
            bindings.put("host_filter", query.host());
            bindings.put("host_backends", VolumeRepository.escapeLike(query.host()) + "@%");
            bindings.put("host_pools", VolumeRepository.escapeLike(query.host()) + "#%");
        }
    }

    private void addAfterMarker(Snapshot marker, List<Sort> sort, List<SnapshotColumn> columns) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < sort.size(); i++) {
            List<String> parts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                parts.add(columns.get(j).sortExpression + " = :m" + j);
            }
            parts.add(columns.get(i).sortExpression + (sort.get(i).ascending() ? " > :m" : " < :m") + i);
            alternatives.add("(" + String.join(" AND ", parts) + ")");
            bindings.put("m" + i, markerValue(marker, columns.get(i)));
        }
        conditions.add("(" + String.join(" OR ", alternatives) + ")");
    }

    private static Object markerValue(Snapshot s, SnapshotColumn column) {
        return switch (column) {
            case ID -> s.id();
            case NAME -> orEmpty(s.name());
            case DESCRIPTION -> orEmpty(s.description());
            case STATUS -> s.status().apiName();
            case VOLUME_ID -> s.volumeId();
            case PROJECT_ID -> s.projectId();
            case USER_ID -> orEmpty(s.userId());
            case PROGRESS -> orEmpty(s.progress());
            case VOLUME_SIZE -> s.volumeSize();
            case VOLUME_TYPE_ID -> orEmpty(s.volumeTypeId());
            case CREATED_AT -> Rows.timestamp(s.createdAt());
            case UPDATED_AT -> Rows.timestamp(s.updatedAt() != null ? s.updatedAt() : s.createdAt());
        };
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private void appendWhere(StringBuilder sql) {
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
    }
}
