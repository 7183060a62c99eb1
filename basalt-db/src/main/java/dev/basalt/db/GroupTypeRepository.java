package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.model.GroupType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Group types, their group specs, and the projects that may use a private one
 * ({@code group_type_projects}). Names are unique; a duplicate is a 409 with Cinder's text.
 */
public final class GroupTypeRepository {
    private static final TypeSpecsTable.Tables TABLES = new TypeSpecsTable.Tables("group_types", "group_type_specs",
            "group_type_id", List.of("id", "name", "description", "is_public", "created_at", "updated_at"),
            "Group Type %s already exists.");

    private final Jdbi jdbi;
    private final TypeSpecsTable<GroupType> table;

    public GroupTypeRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.table = new TypeSpecsTable<>(jdbi, TABLES, (rs, ctx) -> row(rs), GroupType::withGroupSpecs);
    }

    /** A new type with its specs; a name that exists is a 409. */
    public GroupType create(String name, String description, boolean isPublic, Map<String, String> groupSpecs) {
        GroupType type = new GroupType(Ids.newId(), name, description, isPublic, groupSpecs, Rows.now(), null);
        table.insert(type.id(), name, description, isPublic, groupSpecs, type.createdAt());
        return type;
    }

    public Optional<GroupType> find(String id) {
        return table.findWhere("t.id = :key", Collections.singletonMap("key", id));
    }

    public Optional<GroupType> findByName(String name) {
        return table.findWhere("t.name = :key", Collections.singletonMap("key", name));
    }

    /** All types, or only public (true) / private (false) ones, ordered by name. */
    public List<GroupType> list(Boolean isPublic) {
        return table.list(isPublic, GroupType::id);
    }

    /** Updates the given fields (null: unchanged); false if the type does not exist; a taken name is a 409. */
    public boolean update(String id, String name, String description, Boolean isPublic) {
        return table.update(id, name, description, isPublic);
    }

    /** Deletes the type, its specs and its project access; false if it did not exist. */
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM group_type_projects WHERE group_type_id = :id").bind("id", id).execute();
            return table.delete(h, id);
        });
    }

    /** Adds or overwrites group specs (a value may be null); false if the type does not exist. */
    public boolean setGroupSpecs(String id, Map<String, String> specs) {
        return table.setSpecs(id, specs);
    }

    /** Removes one group spec; false if it was not there. */
    public boolean deleteGroupSpec(String id, String key) {
        return table.deleteSpec(id, key);
    }

    /** Gives a project access to a private type (the type must exist). */
    public void addProject(String groupTypeId, String projectId) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO group_type_projects (group_type_id, project_id, created_at)"
                        + " VALUES (:t, :p, :now)")
                .bind("t", groupTypeId).bind("p", projectId).bind("now", Rows.timestamp(Rows.now())).execute());
    }

    /** The types the project has been given access to. */
    public Set<String> typeIdsOf(String projectId) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT group_type_id FROM group_type_projects"
                        + " WHERE project_id = :p")
                .bind("p", projectId).mapTo(String.class).list()));
    }

    /** A type without specs from the six columns of a row, in {@link #TABLES} order. */
    private static GroupType row(ResultSet rs) throws SQLException {
        return new GroupType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), Map.of(),
                Rows.instant(rs, 5), Rows.instant(rs, 6));
    }
}
