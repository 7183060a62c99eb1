package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Lists the rows of one table the way Cinder pages its lists: the {@link ListQuery}'s filters
 * (project scope, exact and LIKE matches, time comparisons, metadata entries) and the resource's own
 * conditions, its sort keys with {@code id} as the final tie breaker, keyset pagination after the
 * marker row (the rows strictly after it in sort order; a marker that is not a row the request
 * may see is a 404, as Cinder's lookup of the marker), LIMIT/OFFSET, and on request the count of
 * every match.
 *
 * @param <T> the resource a row maps to
 */
final class KeysetListQuery<T> {
    private final String table;
    private final String resource;
    private final String selectColumns;
    private final RowMapper<T> rows;
    private final BiFunction<Handle, List<T>, List<T>> withMetadata;
    private final MetadataTable metadata;
    private final ListColumns<T> columns;

    /**
     * @param table the table listed; its rows have {@code id} and {@code project_id} columns
     * @param resource what a row is, as a not-found message names it ({@code Volume})
     * @param selectColumns the select list {@code rows} reads
     * @param rows maps a row of {@code selectColumns}
     * @param withMetadata adds their metadata to the rows of a page, on the list query's handle
     * @param metadata the table a request's metadata entries are looked up in
     * @param columns the columns a request may filter or sort by
     */
    KeysetListQuery(String table, String resource, String selectColumns, RowMapper<T> rows,
                    BiFunction<Handle, List<T>, List<T>> withMetadata, MetadataTable metadata, ListColumns<T> columns) {
        this.table = table;
        this.resource = resource;
        this.selectColumns = selectColumns;
        this.rows = rows;
        this.withMetadata = withMetadata;
        this.metadata = metadata;
        this.columns = columns;
    }

    Page<T> list(Handle h, ListQuery request) {
        return list(h, request, where -> { });
    }

    /** As {@link #list(Handle, ListQuery)}, with the conditions {@code moreConditions} adds. */
    Page<T> list(Handle h, ListQuery request, Consumer<Where> moreConditions) {
        Where where = filters(request);
        moreConditions.accept(where);
        Long total = request.withCount()
                ? where.bindTo(h.createQuery("SELECT COUNT(*) FROM " + table + where.sql())).mapTo(Long.class).one()
                : null;
        List<SortKey<T>> keys = new ArrayList<>();
        for (Sort s : request.sort()) {
            keys.add(new SortKey<>(columns.named(s.key()), s.ascending()));
        }
        ListColumn<T> id = columns.named("id");
        if (keys.stream().noneMatch(k -> k.column().equals(id))) {
            keys.add(new SortKey<>(id, keys.get(keys.size() - 1).ascending()));
        }
        if (request.marker() != null) {
            afterMarker(find(h, request.marker(), request.projectId()), keys, where);
        }
        StringBuilder sql = new StringBuilder("SELECT " + selectColumns + " FROM " + table + where.sql()
                + " ORDER BY " + keys.stream().map(SortKey::sql).collect(Collectors.joining(", ")));
        if (request.limit() != null) {
            sql.append(" LIMIT ").append(Math.max(0, request.limit()));
        }
        if (request.offset() != null && request.offset() > 0) {
            if (request.limit() == null) {
                sql.append(" LIMIT ").append(Integer.MAX_VALUE);
            }
            sql.append(" OFFSET ").append(request.offset());
        }
        List<T> page = where.bindTo(h.createQuery(sql.toString())).map(rows).list();
        return new Page<>(withMetadata.apply(h, page), total);
    }

    private Where filters(ListQuery request) {
        Where where = new Where();
        if (request.projectId() != null) {
            where.and("project_id = :project_id_scope").bind("project_id_scope", request.projectId());
        }
        int n = 0;
        for (Map.Entry<String, String> e : request.exact().entrySet()) {
            ListColumn<T> column = columns.named(e.getKey());
            if (e.getValue() == null) {
                where.and(column.column() + " IS NULL");
                continue;
            }
            String name = "f" + n++;
            where.and(column.column() + " = :" + name).bind(name, column.convert(e.getValue()));
        }
        for (Map.Entry<String, String> e : request.like().entrySet()) {
            ListColumn<T> column = columns.named(e.getKey());
            String name = "f" + n++;
            where.and(column.column() + " LIKE :" + name)
                    .bind(name, "%" + Rows.escapeLike(e.getValue()) + "%");
        }
        for (TimeFilter t : request.timeFilters()) {
            ListColumn<T> column = columns.named(t.key());
            if (column.kind() != ListColumn.Kind.TIMESTAMP) {
                throw BasaltException.badRequest("%s cannot be compared with a time", t.key());
            }
            String name = "t" + n++;
            where.and(column.column() + " " + t.comparison().sql() + " :" + name).bind(name, Rows.timestamp(t.value()));
        }
        withEntries(where, metadata, request.metadata(), "m");
        return where;
    }

    /**
     * Keeps the rows that have every one of {@code entries} (key and value) in {@code entriesTable};
     * the values are bound as {@code <prefix>k0}, {@code <prefix>v0}, … (a prefix of its own per table).
     */
    void withEntries(Where where, MetadataTable entriesTable, Map<String, String> entries, String prefix) {
        int n = 0;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String k = prefix + "k" + n;
            String v = prefix + "v" + n++;
            where.and("EXISTS (SELECT 1 FROM " + entriesTable.table() + " m WHERE m." + entriesTable.ownerColumn()
                    + " = " + table + ".id AND m.meta_key = :" + k + " AND m.meta_value = :" + v + ")")
                    .bind(k, e.getKey()).bind(v, e.getValue());
        }
    }

    /** The marker row, looked up within the request's project. */
    private T find(Handle h, String id, String projectId) {
        Query q = h.createQuery("SELECT " + selectColumns + " FROM " + table + " WHERE id = :id"
                + (projectId == null ? "" : " AND project_id = :project"));
        q.bind("id", id);
        if (projectId != null) {
            q.bind("project", projectId);
        }
        return q.map(rows).findOne()
                .orElseThrow(() -> BasaltException.notFound("%s %s could not be found.", resource, id));
    }

    /** Keeps the rows strictly after {@code marker} in the order of {@code keys}. */
    private static <T> void afterMarker(T marker, List<SortKey<T>> keys, Where where) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> parts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                parts.add(keys.get(j).column().sortExpression() + " = :m" + j);
            }
            SortKey<T> key = keys.get(i);
            parts.add(key.column().sortExpression() + (key.ascending() ? " > :m" : " < :m") + i);
            alternatives.add("(" + String.join(" AND ", parts) + ")");
            where.bind("m" + i, key.column().sortValue().apply(marker));
        }
        where.and("(" + String.join(" OR ", alternatives) + ")");
    }

    private record SortKey<T>(ListColumn<T> column, boolean ascending) {
        String sql() {
            return column.sortExpression() + (ascending ? " ASC" : " DESC");
        }
    }

    /** The conditions of a list's WHERE clause, all of which a row must meet, and the values they bind. */
    static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> bindings = new LinkedHashMap<>();

        Where and(String condition) {
            conditions.add(condition);
            return this;
        }

        Where bind(String name, Object value) {
            bindings.put(name, value);
            return this;
        }

        private String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

        private Query bindTo(Query query) {
            bindings.forEach(query::bind);
            return query;
        }
    }
}
