package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Which projects may see and use each private volume type ({@code volume_type_projects}). */
public final class VolumeTypeAccessRepository {
    private final Jdbi jdbi;

    public VolumeTypeAccessRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Gives the project access to the type; false if it had access already. The type must exist. */
    public boolean add(String volumeTypeId, String projectId) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO volume_type_projects (volume_type_id, project_id,"
                            + " created_at) VALUES (:t, :p, :now)")
                    .bind("t", volumeTypeId).bind("p", projectId).bind("now", Rows.timestamp(Rows.now())).execute());
            return true;
        } catch (RuntimeException e) {
            if (hasAccess(volumeTypeId, projectId)) {
                return false;
            }
            throw e;
        }
    }

    /** Takes the project's access away; false if it had none. */
    public boolean remove(String volumeTypeId, String projectId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM volume_type_projects"
                        + " WHERE volume_type_id = :t AND project_id = :p")
                .bind("t", volumeTypeId).bind("p", projectId).execute() == 1);
    }

    /** The projects with access to the type, ordered. */
    public List<String> projects(String volumeTypeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT project_id FROM volume_type_projects"
                        + " WHERE volume_type_id = :t ORDER BY project_id")
                .bind("t", volumeTypeId).mapTo(String.class).list());
    }

    /** The types the project has been given access to. */
    public Set<String> typeIds(String projectId) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT volume_type_id FROM volume_type_projects"
                        + " WHERE project_id = :p")
                .bind("p", projectId).mapTo(String.class).list()));
    }

    public boolean hasAccess(String volumeTypeId, String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM volume_type_projects"
                        + " WHERE volume_type_id = :t AND project_id = :p")
                .bind("t", volumeTypeId).bind("p", projectId).mapTo(Long.class).one() > 0);
    }
}
