package dev.basalt.db;

import dev.basalt.model.CleanableResource;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The workers rows (Cinder's workers table) kept inside the caller's transaction, the one that
 * changes the resource's status, so that a row exists exactly while its resource is in the
 * transitional status the row names, even across a crash:
 *
 * <ul>
 *   <li>{@link #recordNew} with the insert of a resource that starts {@code creating} (one insert);</li>
 *   <li>{@link #record} when an existing resource starts work ({@code deleting}, {@code extending}):
 *       whatever row it had is replaced, unclaimed;</li>
 *   <li>{@link #release} when the service holding the work hands it on to another;</li>
 *   <li>{@link #settle} when the resource's status changes to anything else: its row goes unless
 *       it names that status (one delete by primary key);</li>
 *   <li>{@link #forget} when the resource's row goes.</li>
 * </ul>
 */
final class Workers {
    private Workers() {
    }

    /** Records work on a resource inserted in this transaction (it can have no row yet). */
    static void recordNew(Handle h, CleanableResource type, String resourceId, String status) {
        h.createUpdate("INSERT INTO workers (resource_type, resource_id, status, service_id, race_preventer,"
                        + " created_at, updated_at) VALUES (:type, :id, :status, NULL, 0, :now, :now)")
                .bind("type", type.typeName()).bind("id", resourceId).bind("status", status)
                .bind("now", Rows.timestamp(Rows.now())).execute();
    }

    /** Records work on an existing resource, replacing any row it had (unclaimed again). */
    static void record(Handle h, CleanableResource type, String resourceId, String status) {
        forget(h, type, resourceId);
        recordNew(h, type, resourceId, status);
    }

    /**
     * The service that holds the work on the resource in {@code status} gives it up (another service
     * takes it on by claiming it): the row is unclaimed again, and counts as new.
     */
    static void release(Handle h, CleanableResource type, String resourceId, String status) {
        h.createUpdate("UPDATE workers SET service_id = NULL, race_preventer = race_preventer + 1, updated_at = :now"
                        + " WHERE resource_type = :type AND resource_id = :id AND status = :status")
                .bind("now", Rows.timestamp(Rows.now())).bind("type", type.typeName()).bind("id", resourceId)
                .bind("status", status).execute();
    }

    /** The resource's status became {@code status}: a row naming another status is done with. */
    static void settle(Handle h, CleanableResource type, String resourceId, String status) {
        h.createUpdate("DELETE FROM workers WHERE resource_type = :type AND resource_id = :id AND status <> :status")
                .bind("type", type.typeName()).bind("id", resourceId).bind("status", status).execute();
    }

    /** The resource is gone, or its work ended: its row goes. */
    static void forget(Handle h, CleanableResource type, String resourceId) {
        h.createUpdate("DELETE FROM workers WHERE resource_type = :type AND resource_id = :id")
                .bind("type", type.typeName()).bind("id", resourceId).execute();
    }

    /** As {@link #forget}, for several resources of one type. */
    static void forgetAll(Handle h, CleanableResource type, Collection<String> resourceIds) {
        if (resourceIds.isEmpty()) {
            return;
        }
        h.createUpdate("DELETE FROM workers WHERE resource_type = :type AND resource_id IN (<ids>)")
                .bind("type", type.typeName()).bindList("ids", List.copyOf(resourceIds)).execute();
    }
}
