package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.VolumeType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Volume types and their extra specs. Names are unique; a duplicate is a 409. Deleting a type
 * deletes its per-type quota limits and (empty) usage rows too.
 */
public final class VolumeTypeRepository {
    private static final TypeSpecsTable.Tables TABLES = new TypeSpecsTable.Tables("volume_types",
            "volume_type_extra_specs", "volume_type_id",
            List.of("id", "name", "description", "is_public", "created_at", "updated_at", "qos_specs_id"),
            "Volume Type %s already exists.");

    private final Jdbi jdbi;
    private final TypeSpecsTable<VolumeType> table;

    public VolumeTypeRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.table = new TypeSpecsTable<>(jdbi, TABLES, (rs, ctx) -> row(rs), VolumeType::withExtraSpecs);
    }

    public VolumeType create(String name, String description, boolean isPublic, Map<String, String> extraSpecs) {
        VolumeType type = new VolumeType(Ids.newId(), name, description, isPublic, extraSpecs, Rows.now(), null, null);
        table.insert(type.id(), name, description, isPublic, extraSpecs, type.createdAt());
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
        return table.findWhere("t.id = :key", Collections.singletonMap("key", id));
    }

    public Optional<VolumeType> findByName(String name) {
        return table.findWhere("t.name = :key", Collections.singletonMap("key", name));
    }

    /**
     * The type a project's new volumes get when the request names none, in one query: the
     * project's own default if it has one (and it exists), else the type named {@code configuredName}.
     */
    public Optional<VolumeType> defaultFor(String projectId, String configuredName) {
        return table.findWhere("t.id = (SELECT d.volume_type_id FROM project_default_types d WHERE d.project_id = :p)"
                + " OR (t.name = :key AND NOT EXISTS (SELECT 1 FROM project_default_types d"
                + " JOIN volume_types x ON x.id = d.volume_type_id WHERE d.project_id = :p))",
                Map.of("p", projectId, "key", configuredName));
    }

    /** By id, or by name when no type has that id (as Cinder resolves types). */
    public Optional<VolumeType> findByIdOrName(String idOrName) {
        Optional<VolumeType> byId = Ids.isUuidLike(idOrName) ? find(idOrName) : Optional.empty();
        return byId.isPresent() ? byId : findByName(idOrName);
    }

    /** All types, or only public (true) / private (false) ones, ordered by name. */
    public List<VolumeType> list(Boolean isPublic) {
        return table.list(isPublic, VolumeType::id);
    }

    /** Updates the given fields (null: unchanged); false if the type does not exist. */
    public boolean update(String id, String name, String description, Boolean isPublic) {
        return table.update(id, name, description, isPublic);
    }

    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            boolean deleted = table.delete(h, id);
            if (deleted) {
                TypeQuotaResources.drop(h, id);
            }
            return deleted;
        });
    }

    /** Adds or overwrites extra specs; false if the type does not exist. */
    public boolean setExtraSpecs(String id, Map<String, String> specs) {
        return table.setSpecs(id, specs);
    }

    /** Removes one extra spec; false if it was not there. */
    public boolean deleteExtraSpec(String id, String key) {
        return table.deleteSpec(id, key);
    }

    /** A type without extra specs from the first seven columns of a row, in {@link #TABLES} order. */
    private static VolumeType row(ResultSet rs) throws SQLException {
        return new VolumeType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), Map.of(),
                Rows.instant(rs, 5), Rows.instant(rs, 6), rs.getString(7));
    }
}
