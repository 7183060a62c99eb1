package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * The SQL that volume types and group types share: a table of named types ({@code id, name,
 * description, is_public, created_at, updated_at}, names unique) and a child table of their
 * key/value specs ({@code spec_key, spec_value}). Each repository describes its two tables and how
 * a row becomes its record; a name taken twice is a 409 with the repository's own message.
 *
 * @param <T> the type's record
 */
final class TypeSpecsTable<T> {
    private final Jdbi jdbi;
    private final Tables tables;
    private final RowMapper<T> row;
    private final BiFunction<T, Map<String, String>, T> withSpecs;

    /**
     * The two tables and the columns of a type row.
     *
     * @param types      the types table
     * @param specs      the specs table
     * @param typeColumn the specs table's column naming the type
     * @param columns    the columns {@code row} reads, in order (the six shared ones first)
     * @param duplicate  the 409's message, with the name as its one {@code %s}
     */
    record Tables(String types, String specs, String typeColumn, List<String> columns, String duplicate) {
        Tables {
            columns = List.copyOf(columns);
        }

        String select(String alias) {
            return columns.stream().map(c -> alias + c).collect(Collectors.joining(", "));
        }
    }

    TypeSpecsTable(Jdbi jdbi, Tables tables, RowMapper<T> row, BiFunction<T, Map<String, String>, T> withSpecs) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.tables = requireNonNull(tables, "tables");
        this.row = requireNonNull(row, "row");
        this.withSpecs = requireNonNull(withSpecs, "withSpecs");
    }

    /** Inserts a type and its specs in one transaction; a taken name is a 409. */
    void insert(String id, String name, String description, boolean isPublic, Map<String, String> specs,
                Instant createdAt) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO " + tables.types() + " (id, name, description, is_public, created_at,"
                                + " updated_at) VALUES (:id, :name, :d, :p, :c, NULL)")
                        .bind("id", id).bind("name", name).bind("d", description).bind("p", isPublic)
                        .bind("c", Rows.timestamp(createdAt)).execute();
                insertSpecs(h, id, specs);
            });
        } catch (RuntimeException e) {
            throw duplicateOr(e, name, null);
        }
    }

    /** The one type matching {@code condition} (on alias {@code t}, with {@code binds}) with its specs, in one query. */
    Optional<T> findWhere(String condition, Map<String, ?> binds) {
        int keyColumn = tables.columns().size() + 1;
        List<Map.Entry<T, String[]>> rows = jdbi.withHandle(h -> h.createQuery("SELECT " + tables.select("t.")
                        + ", s.spec_key, s.spec_value FROM " + tables.types() + " t LEFT JOIN " + tables.specs()
                        + " s ON s." + tables.typeColumn() + " = t.id WHERE " + condition + " ORDER BY s.spec_key")
                .bindMap(binds)
                .map((rs, ctx) -> Map.entry(row.map(rs, ctx),
                        new String[] {rs.getString(keyColumn), rs.getString(keyColumn + 1)}))
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> specs = new LinkedHashMap<>();
        for (Map.Entry<T, String[]> r : rows) {
            if (r.getValue()[0] != null) {
                specs.put(r.getValue()[0], r.getValue()[1]);
            }
        }
        return Optional.of(withSpecs.apply(rows.get(0).getKey(), specs));
    }

    /** All types, or only public (true) / private (false) ones, ordered by name, each with its specs. */
    List<T> list(Boolean isPublic, Function<T, String> id) {
        return jdbi.withHandle(h -> {
            String where = isPublic == null ? "" : " WHERE is_public = :p";
            var q = h.createQuery("SELECT " + tables.select("") + " FROM " + tables.types() + where
                    + " ORDER BY name, id");
            if (isPublic != null) {
                q.bind("p", isPublic);
            }
            List<T> types = q.map(row).list();
            Map<String, Map<String, String>> specs = new HashMap<>();
            h.createQuery("SELECT " + tables.typeColumn() + ", spec_key, spec_value FROM " + tables.specs()
                            + " ORDER BY spec_key")
                    .map((rs, ctx) -> specs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3)))
                    .list();
            return types.stream().map(t -> withSpecs.apply(t, specs.getOrDefault(id.apply(t), Map.of()))).toList();
        });
    }

    /** Updates the given fields (null: unchanged); false if the type does not exist; a name another type has is a 409. */
    boolean update(String id, String name, String description, Boolean isPublic) {
        if (name != null && nameTakenByAnother(name, id)) {
            throw BasaltException.conflict(tables.duplicate(), name);
        }
        try {
            return jdbi.withHandle(h -> {
                StringBuilder set = new StringBuilder("updated_at = :now");
                if (name != null) {
                    set.append(", name = :name");
                }
                if (description != null) {
                    set.append(", description = :d");
                }
                if (isPublic != null) {
                    set.append(", is_public = :p");
                }
                Update u = h.createUpdate("UPDATE " + tables.types() + " SET " + set + " WHERE id = :id")
                        .bind("now", Rows.timestamp(Rows.now())).bind("id", id);
                if (name != null) {
                    u.bind("name", name);
                }
                if (description != null) {
                    u.bind("d", description);
                }
                if (isPublic != null) {
                    u.bind("p", isPublic);
                }
                return u.execute() == 1;
            });
        } catch (RuntimeException e) {
            throw duplicateOr(e, name, id);
        }
    }

    /** Deletes the type and its specs within {@code h}'s transaction; false if it did not exist. */
    boolean delete(Handle h, String id) {
        h.createUpdate("DELETE FROM " + tables.specs() + " WHERE " + tables.typeColumn() + " = :id")
                .bind("id", id).execute();
        return h.createUpdate("DELETE FROM " + tables.types() + " WHERE id = :id").bind("id", id).execute() == 1;
    }

    /** Adds or overwrites specs; false if the type does not exist. */
    boolean setSpecs(String id, Map<String, String> specs) {
        return jdbi.inTransaction(h -> {
            int touched = h.createUpdate("UPDATE " + tables.types() + " SET updated_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
            if (touched == 0) {
                return false;
            }
            if (!specs.isEmpty()) {
                h.createUpdate("DELETE FROM " + tables.specs() + " WHERE " + tables.typeColumn()
                                + " = :id AND spec_key IN (<k>)")
                        .bind("id", id).bindList("k", List.copyOf(specs.keySet())).execute();
                insertSpecs(h, id, specs);
            }
            return true;
        });
    }

    /** Removes one spec; false if it was not there. */
    boolean deleteSpec(String id, String key) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + tables.specs() + " WHERE "
                        + tables.typeColumn() + " = :id AND spec_key = :k")
                .bind("id", id).bind("k", key).execute() == 1);
    }

    private void insertSpecs(Handle h, String id, Map<String, String> specs) {
        if (specs == null || specs.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO " + tables.specs() + " (" + tables.typeColumn()
                + ", spec_key, spec_value) VALUES (:id, :k, :v)");
        specs.forEach((k, v) -> batch.bind("id", id).bind("k", k).bind("v", v).add());
        batch.execute();
    }

    private boolean nameTakenByAnother(String name, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + tables.types()
                        + " WHERE name = :name AND id <> :id")
                .bind("name", name).bind("id", id == null ? "" : id).mapTo(Long.class).one() > 0);
    }

    /** The 409 when the failed write's name is taken (by another type than {@code id}), else the failure itself. */
    private RuntimeException duplicateOr(RuntimeException e, String name, String id) {
        if (name != null && nameTakenByAnother(name, id)) {
            return BasaltException.conflict(tables.duplicate(), name);
        }
        return e;
    }
}
