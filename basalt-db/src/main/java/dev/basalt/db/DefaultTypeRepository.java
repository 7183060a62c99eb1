package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Per-project default volume types: at most one per project. */
public final class DefaultTypeRepository {
    private static final String COLUMNS = "project_id, volume_type_id, created_at, updated_at";

    private final Jdbi jdbi;

    public DefaultTypeRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Sets (or replaces) the project's default type and returns what is stored afterwards. */
    public ProjectDefaultType set(String projectId, String volumeTypeId) {
        Instant now = Rows.now();
        int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE project_default_types SET volume_type_id = :type,"
                        + " updated_at = :now WHERE project_id = :project")
                .bind("type", volumeTypeId).bind("now", Rows.timestamp(now)).bind("project", projectId).execute());
        if (updated == 0) {
            try {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO project_default_types (" + COLUMNS + ")"
                                + " VALUES (:project, :type, :now, NULL)")
                        .bind("project", projectId).bind("type", volumeTypeId).bind("now", Rows.timestamp(now))
                        .execute());
            } catch (RuntimeException raced) {
                if (find(projectId).isEmpty()) {
                    throw raced;
                }
                return set(projectId, volumeTypeId);
            }
        }
        return find(projectId).orElseThrow();
    }

    public Optional<ProjectDefaultType> find(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM project_default_types"
                        + " WHERE project_id = :project")
                .bind("project", projectId).map((rs, ctx) -> row(rs)).findOne());
    }

    /** Every project's default, ordered by project. */
    public List<ProjectDefaultType> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM project_default_types"
                        + " ORDER BY project_id")
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Removes the project's default; false if it had none. */
    public boolean unset(String projectId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM project_default_types WHERE project_id = :project")
                .bind("project", projectId).execute() == 1);
    }

    /** The projects whose default is this type. */
    public List<String> projectsUsing(String volumeTypeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT project_id FROM project_default_types"
                        + " WHERE volume_type_id = :type ORDER BY project_id")
                .bind("type", volumeTypeId).mapTo(String.class).list());
    }

    private static ProjectDefaultType row(ResultSet rs) throws SQLException {
        return new ProjectDefaultType(rs.getString("project_id"), rs.getString("volume_type_id"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
