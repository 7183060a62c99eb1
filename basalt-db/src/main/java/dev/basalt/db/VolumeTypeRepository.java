package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.VolumeType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * Volume types and their extra specs. Names are unique; a duplicate is a 409. Deleting a type
 * deletes its per-type quota limits and (empty) usage rows too.
 */
public final class VolumeTypeRepository {
    private static final String COLUMNS = "id, name, description, is_public, created_at, updated_at, qos_specs_id";

    private final Jdbi jdbi;

    public VolumeTypeRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    public VolumeType create(String name, String description, boolean isPublic, Map<String, String> extraSpecs) {
        VolumeType type = new VolumeType(Ids.newId(), name, description, isPublic, extraSpecs, Rows.now(), null, null);
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO volume_types (" + COLUMNS + ") VALUES (:id, :name, :d, :p, :c, NULL, NULL)")
                        .bind("id", type.id()).bind("name", name).bind("d", description).bind("p", isPublic)
                        .bind("c", Rows.timestamp(type.createdAt())).execute();
                insertSpecs(h, type.id(), extraSpecs);
            });
        } catch (RuntimeException e) {
            if (findByName(name).isPresent()) {
                throw BasaltException.conflict("Volume Type %s already exists.", name);
            }
            throw e;
        }
        return type;
    }

    /** Creates the type unless one of that name exists; returns the one that exists afterwards. */
    public VolumeType ensure(String name, String description) {
        Optional<VolumeType> existing = findByName(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return create(name, description, true, Map.of());
        } catch (BasaltException raced) {
            return findByName(name).orElseThrow(() -> raced);
        }
    }

    public Optional<VolumeType> find(String id) {
        return findWhere("t.id = :key", Collections.singletonMap("key", id));
    }

    public Optional<VolumeType> findByName(String name) {
        return findWhere("t.name = :key", Collections.singletonMap("key", name));
    }

    /**
     * The type a project's new volumes get when the request names none, in one query: the
     * project's own default if it has one (and it exists), else the type named {@code configuredName}.
     */
    public Optional<VolumeType> defaultFor(String projectId, String configuredName) {
        return findWhere("t.id = (SELECT d.volume_type_id FROM project_default_types d WHERE d.project_id = :p)"
                + " OR (t.name = :key AND NOT EXISTS (SELECT 1 FROM project_default_types d"
                + " JOIN volume_types x ON x.id = d.volume_type_id WHERE d.project_id = :p))",
                Map.of("p", projectId, "key", configuredName));
    }

    /** One row of a type joined with one of its extra specs (none: a null key). */
    private record WithSpec(VolumeType type, String key, String value) {
    }

    /** The one type matching {@code condition} (on {@code t}, with {@code binds}) with its extra specs, in one query. */
    private Optional<VolumeType> findWhere(String condition, Map<String, String> binds) {
        List<WithSpec> rows = jdbi.withHandle(h -> h.createQuery("SELECT t.id, t.name, t.description, t.is_public,"
                        + " t.created_at, t.updated_at, t.qos_specs_id, s.spec_key, s.spec_value FROM volume_types t"
                        + " LEFT JOIN volume_type_extra_specs s ON s.volume_type_id = t.id"
                        + " WHERE " + condition + " ORDER BY s.spec_key")
                .bindMap(binds)
                .map((rs, ctx) -> new WithSpec(row(rs), rs.getString(8), rs.getString(9)))
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> specs = new LinkedHashMap<>();
        for (WithSpec r : rows) {
            if (r.key() != null) {
                specs.put(r.key(), r.value());
            }
        }
        return Optional.of(rows.get(0).type().withExtraSpecs(specs));
    }

    /** By id, or by name when no type has that id (as Cinder resolves types). */
    public Optional<VolumeType> findByIdOrName(String idOrName) {
        Optional<VolumeType> byId = Ids.isUuidLike(idOrName) ? find(idOrName) : Optional.empty();
        return byId.isPresent() ? byId : findByName(idOrName);
    }

    /** All types, or only public (true) / private (false) ones, ordered by name. */
    public List<VolumeType> list(Boolean isPublic) {
        return jdbi.withHandle(h -> {
            String where = isPublic == null ? "" : " WHERE is_public = :p";
            var q = h.createQuery("SELECT " + COLUMNS + " FROM volume_types" + where + " ORDER BY name, id");
            if (isPublic != null) {
                q.bind("p", isPublic);
            }
            List<VolumeType> types = q.map((rs, ctx) -> row(rs)).list();
            Map<String, Map<String, String>> specs = allSpecs(h);
            return types.stream().map(t -> t.withExtraSpecs(specs.getOrDefault(t.id(), Map.of()))).toList();
        });
    }

    /** Updates the given fields (null: unchanged); false if the type does not exist. */
    public boolean update(String id, String name, String description, Boolean isPublic) {
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
                Update u = h.createUpdate("UPDATE volume_types SET " + set + " WHERE id = :id")
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
            if (name != null && findByName(name).filter(t -> !t.id().equals(id)).isPresent()) {
                throw BasaltException.conflict("Volume Type %s already exists.", name);
            }
            throw e;
        }
    }

    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM volume_type_extra_specs WHERE volume_type_id = :id").bind("id", id).execute();
            boolean deleted = h.createUpdate("DELETE FROM volume_types WHERE id = :id").bind("id", id).execute() == 1;
            if (deleted) {
                TypeQuotaResources.drop(h, id);
            }
            return deleted;
        });
    }

    /** Adds or overwrites extra specs; false if the type does not exist. */
    public boolean setExtraSpecs(String id, Map<String, String> specs) {
        return jdbi.inTransaction(h -> {
            int touched = h.createUpdate("UPDATE volume_types SET updated_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
            if (touched == 0) {
                return false;
            }
            if (!specs.isEmpty()) {
                h.createUpdate("DELETE FROM volume_type_extra_specs WHERE volume_type_id = :id AND spec_key IN (<k>)")
                        .bind("id", id).bindList("k", List.copyOf(specs.keySet())).execute();
                insertSpecs(h, id, specs);
            }
            return true;
        });
    }

    /** Removes one extra spec; false if it was not there. */
    public boolean deleteExtraSpec(String id, String key) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM volume_type_extra_specs WHERE volume_type_id = :id AND spec_key = :k")
                .bind("id", id).bind("k", key).execute() == 1);
    }

    /** A type without extra specs from the first seven columns of a row, in {@link #COLUMNS} order. */
    private static VolumeType row(ResultSet rs) throws SQLException {
        return new VolumeType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), Map.of(),
                Rows.instant(rs, 5), Rows.instant(rs, 6), rs.getString(7));
    }

    private static Map<String, Map<String, String>> allSpecs(Handle h) {
        Map<String, Map<String, String>> specs = new HashMap<>();
        h.createQuery("SELECT volume_type_id, spec_key, spec_value FROM volume_type_extra_specs ORDER BY spec_key")
                .map((rs, ctx) -> specs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getString(3)))
                .list();
        return specs;
    }

    private static void insertSpecs(Handle h, String id, Map<String, String> specs) {
        if (specs == null || specs.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch(
                "INSERT INTO volume_type_extra_specs (volume_type_id, spec_key, spec_value) VALUES (:id, :k, :v)");
        specs.forEach((k, v) -> batch.bind("id", id).bind("k", k).bind("v", v).add());
        batch.execute();
    }
}
