package dev.basalt.db;

import dev.basalt.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Turns a {@link VolumeQuery} into SQL: filters, sort keys with {@code id} as the final tie
 * breaker, and keyset pagination after the marker volume (rows strictly after it in sort order).
 */
final class VolumeListQuery {
    private final VolumeQuery query;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> bindings = new LinkedHashMap<>();

    VolumeListQuery(VolumeQuery query) {
        this.query = query;
    }

    Page<Volume> run(Handle h, VolumeRepository repository) {
        addFilters();
        Long total = query.withCount() ? count(h) : null;
        List<Sort> sort = new ArrayList<>(query.sort());
        List<VolumeColumn> sortColumns = new ArrayList<>();
        for (Sort s : sort) {
            sortColumns.add(VolumeColumn.of(s.key()));
        }
        if (!sortColumns.contains(VolumeColumn.ID)) {
            boolean lastAscending = sort.get(sort.size() - 1).ascending();
            sort.add(new Sort("id", lastAscending));
            sortColumns.add(VolumeColumn.ID);
        }
        if (query.marker() != null) {
            Volume marker = repository.findForMarker(h, query.marker(), query.projectId())
                    .orElseThrow(() -> VolumeRepository.markerNotFound(query.marker()));
            addAfterMarker(marker, sort, sortColumns);
        }
        StringBuilder sql = new StringBuilder("SELECT " + VolumeRepository.columns() + " FROM volumes");
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
        List<Volume> volumes = q.map((rs, ctx) -> repository.row(rs)).list();
        return new Page<>(repository.withMetadata(h, volumes), total);
    }

    private long count(Handle h) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM volumes");
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
            VolumeColumn column = VolumeColumn.of(e.getKey());
            String name = "f" + n++;
            conditions.add(column.column + " = :" + name);
            bindings.put(name, column.convert(e.getValue()));
        }
        for (Map.Entry<String, String> e : query.like().entrySet()) {
            VolumeColumn column = VolumeColumn.of(e.getKey());
            String name = "f" + n++;
            conditions.add(column.column + " LIKE :" + name);
            bindings.put(name, "%" + VolumeRepository.escapeLike(e.getValue()) + "%");
        }
        for (TimeFilter t : query.timeFilters()) {
            VolumeColumn column = VolumeColumn.of(t.key());
            if (column.kind != VolumeColumn.Kind.TIMESTAMP) {
                throw dev.basalt.common.BasaltException.badRequest("%s cannot be compared with a time", t.key());
            }
            String name = "t" + n++;
            conditions.add(column.column + " " + t.comparison().sql() + " :" + name);
            bindings.put(name, Rows.timestamp(t.value()));
        }
        for (Map.Entry<String, String> e : query.metadata().entrySet()) {
            String k = "mk" + n;
            String v = "mv" + n++;
            conditions.add("EXISTS (SELECT 1 FROM volume_metadata m WHERE m.volume_id = volumes.id"
                    + " AND m.meta_key = :" + k + " AND m.meta_value = :" + v + ")");
            bindings.put(k, e.getKey());
            bindings.put(v, e.getValue());
        }
    }

    private void addAfterMarker(Volume marker, List<Sort> sort, List<VolumeColumn> columns) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < sort.size(); i++) {
            List<String> parts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                parts.add(columns.get(j).sortExpression + " = :m" + j);
            }
            parts.add(columns.get(i).sortExpression + (sort.get(i).ascending() ? " > :m" : " < :m") + i);
            alternatives.add("(" + String.join(" AND ", parts) + ")");
            bindings.put("m" + i, MarkerValues.of(marker, columns.get(i)));
        }
        conditions.add("(" + String.join(" OR ", alternatives) + ")");
    }

    private void appendWhere(StringBuilder sql) {
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
    }
}
