package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.BackendName;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.VolumeStatus;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * Retype and migration of a volume (Cinder's {@code retype} and {@code migrate_volume}), each step
 * one conditional change in one transaction, with the work recorded ({@link Workers}) while the
 * volume is held:
 *
 * <ul>
 *   <li>{@link #beginRetype}: {@code available}/{@code in-use} → {@code retyping}, the new type's
 *       per-type quota reserved for the volume in the same transaction;</li>
 *   <li>{@link #beginMigration}: an {@code available} volume with no snapshots → {@code maintenance},
 *       {@code migration_status} {@code starting};</li>
 *   <li>{@link #advance}: the migration's next step ({@code starting} → {@code migrating} →
 *       {@code completing});</li>
 *   <li>{@link #finish}: the volume back to {@code in-use} (attached) or {@code available}, on its new
 *       host and type when the move succeeded (the old type's per-type quota given back and the new
 *       one's kept), as it was when it failed (the new type's reservation given back).</li>
 * </ul>
 * A migration is in flight while its {@code migration_status} is one of {@link #IN_FLIGHT}.
 */
public final class VolumeMoves {
    public static final String STARTING = "starting";
    public static final String MIGRATING = "migrating";
    public static final String COMPLETING = "completing";
    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    /** The migration statuses of a migration in flight. */
    public static final List<String> IN_FLIGHT = List.of(STARTING, MIGRATING, COMPLETING);
    /** Admin metadata key: the {@code host@backend#pool} a migrating volume is being copied to. */
    public static final String DESTINATION = "migration_destination";

    /** The per-type quota resources a volume type's volumes claim ({@code volumes:<id>}, {@code gigabytes:<id>}). */
    private static final List<String> TYPE_KINDS = List.of("volumes", "gigabytes");

    /** Why a retype or migration did not start, or that it did. */
    public enum Outcome {
        DONE,
        NOT_FOUND,
        /**
         * Status, group, migration in flight or type (retype), or host or snapshots (migration) not as
         * required.
         */
        REFUSED
    }

    private final Jdbi jdbi;

    public VolumeMoves(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** On the database of {@code volumes}. */
    public VolumeMoves(VolumeRepository volumes) {
        this.jdbi = requireNonNull(volumes, "volumes").jdbi();
    }

    /**
     * Starts a retype to {@code newTypeId}: the volume must be {@code available} or {@code in-use}, in no
     * group, not migrating and of another type; it becomes {@code retyping} and {@code reservation} (the
     * new type's {@code volumes} and {@code gigabytes}; none when null) is reserved for it, or
     * {@link QuotaExceededException} is thrown and nothing changes.
     */
    public Outcome beginRetype(String volumeId, String newTypeId, QuotaReservation reservation) {
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            if (Locks.volumeStatus(h, volumeId).isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            int changed = h.createUpdate("UPDATE volumes SET status = :next, updated_at = :now WHERE id = :id"
                            + " AND status IN (:available, :inUse) AND group_id IS NULL"
                            + " AND (migration_status IS NULL OR migration_status NOT IN (<flight>))"
                            + " AND (volume_type_id IS NULL OR volume_type_id <> :type)")
                    .bind("next", VolumeStatus.RETYPING.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", volumeId).bind("available", VolumeStatus.AVAILABLE.apiName())
                    .bind("inUse", VolumeStatus.IN_USE.apiName()).bindList("flight", IN_FLIGHT)
                    .bind("type", newTypeId).execute();
            if (changed == 0) {
                return Outcome.REFUSED;
            }
            if (reservation != null) {
                QuotaClaims.reserveMore(h, volumeId, reservation);
            }
            Workers.record(h, CleanableResource.VOLUME, volumeId, VolumeStatus.RETYPING.apiName());
            return Outcome.DONE;
        });
    }

    /**
     * Starts migrating an {@code available} volume to {@code host}: in no group, not migrating, with
     * no snapshots and on another host; it becomes {@code maintenance} with {@code migration_status}
     * {@code starting}.
     */
    public Outcome beginMigration(String volumeId, String host) {
        return jdbi.inTransaction(h -> {
            if (Locks.volumeStatus(h, volumeId).isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            int changed = h.createUpdate("UPDATE volumes SET status = :next, migration_status = :starting,"
                            + " updated_at = :now WHERE id = :id AND status = :available AND group_id IS NULL"
                            + " AND (migration_status IS NULL OR migration_status NOT IN (<flight>))"
                            + " AND host IS NOT NULL AND host <> :host"
                            + " AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.volume_id = :id)")
                    .bind("next", VolumeStatus.MAINTENANCE.apiName()).bind("starting", STARTING)
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId)
                    .bind("available", VolumeStatus.AVAILABLE.apiName()).bindList("flight", IN_FLIGHT)
                    .bind("host", host).execute();
            if (changed == 0) {
                return Outcome.REFUSED;
            }
            Workers.record(h, CleanableResource.VOLUME, volumeId, VolumeStatus.MAINTENANCE.apiName());
            return Outcome.DONE;
        });
    }

    /**
     * Moves the migration of the volume (which is {@code retyping} or {@code maintenance}) from
     * {@code from} to {@code to}; {@code from} null: the volume had no migration in flight. When
     * {@code destination} is not null it is recorded with the volume (admin metadata
     * {@link #DESTINATION}) in the same transaction, so that a restart knows where storage may have
     * been made for it. False, and nothing changed, when the volume is not at {@code from}.
     */
    public boolean advance(String volumeId, String from, String to, String destination) {
        return jdbi.inTransaction(h -> {
            Update update = h.createUpdate("UPDATE volumes SET migration_status = :to, updated_at = :now"
                            + " WHERE id = :id AND status IN (:retyping, :maintenance) AND "
                            + (from == null ? "(migration_status IS NULL OR migration_status NOT IN (<flight>))"
                            : "migration_status = :from"))
                    .bind("to", to).bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId)
                    .bind("retyping", VolumeStatus.RETYPING.apiName())
                    .bind("maintenance", VolumeStatus.MAINTENANCE.apiName());
            if (from != null) {
                update.bind("from", from);
            } else {
                update.bindList("flight", IN_FLIGHT);
            }
            boolean moved = update.execute() == 1;
            if (moved && destination != null) {
                AdminMetadata.put(h, volumeId, DESTINATION, destination);
            }
            return moved;
        });
    }

    /** The outcome {@link #finish} writes. */
    public record Ending(String host, String volumeTypeId, String migrationStatus, String errorReason) {
        /** A retype or migration that succeeded: the volume on {@code host}, of {@code volumeTypeId} (null: as it was). */
        public static Ending moved(String host, String volumeTypeId, String migrationStatus) {
            return new Ending(requireNonNull(host, "host"), volumeTypeId, migrationStatus, null);
        }

        /** A retype or migration that failed (the volume stays where and what it was). */
        public static Ending failed(String migrationStatus) {
            return new Ending(null, null, migrationStatus, null);
        }

        public boolean succeeded() {
            return host != null;
        }
    }

    /**
     * Ends the volume's retype or migration: it is {@code retyping} or {@code maintenance} and goes back
     * to {@code in-use} when attached, else {@code available}, with the ending's migration status (null:
     * unchanged). Succeeded: on its new host (and that backend's volume service) and type (multiattach when the type says {@code <is> True});
     * when the type changed, the reserved quota of the
     * new type becomes in use and the old type's per-type claims are given back; its snapshots take the
     * new type (as Cinder's). Failed: the new type's reservation is given back, and a migration in flight
     * ends in {@code error} when the ending names no migration status. False, and nothing
     * changed, when the volume is in neither status.
     */
    public boolean finish(String volumeId, Ending ending) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty() || !List.of(VolumeStatus.RETYPING.apiName(), VolumeStatus.MAINTENANCE.apiName())
                    .contains(status.get())) {
                return false;
            }
            Row row = h.createQuery("SELECT volume_type_id, attach_status FROM volumes WHERE id = :id")
                    .bind("id", volumeId).map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2))).one();
            VolumeStatus back = AttachStatus.ATTACHED.apiName().equals(row.attachStatus())
                    ? VolumeStatus.IN_USE : VolumeStatus.AVAILABLE;
            StringBuilder set = new StringBuilder("status = :back");
            if (ending.migrationStatus() != null) {
                set.append(", migration_status = :migration");
            } else if (!ending.succeeded()) {
                set.append(", migration_status = CASE WHEN migration_status IN (<flight>) THEN :error"
                        + " ELSE migration_status END");
            }
            if (ending.succeeded()) {
                set.append(", host = :host, service_uuid = COALESCE((SELECT s.uuid FROM services s WHERE s.host = :backend"
                        + " AND s.binary_name = :binary), service_uuid)");
                if (ending.volumeTypeId() != null) {
                    set.append(", volume_type_id = :type, multiattach = CASE WHEN EXISTS (SELECT 1 FROM"
                            + " volume_type_extra_specs e WHERE e.volume_type_id = :type AND e.spec_key = 'multiattach'"
                            + " AND e.spec_value = :multiattachOn) THEN TRUE ELSE FALSE END");
                }
            }
            Update update = h.createUpdate("UPDATE volumes SET " + set + ", updated_at = :now WHERE id = :id")
                    .bind("back", back.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId);
            if (ending.migrationStatus() != null) {
                update.bind("migration", ending.migrationStatus());
            } else if (!ending.succeeded()) {
                update.bind("error", ERROR).bindList("flight", IN_FLIGHT);
            }
            if (ending.succeeded()) {
                update.bind("host", ending.host()).bind("backend", BackendName.backendOf(ending.host()))
                        .bind("binary", "cinder-volume");
                if (ending.volumeTypeId() != null) {
                    update.bind("type", ending.volumeTypeId()).bind("multiattachOn", "<is> True");
                }
            }
            update.execute();
            if (ending.succeeded()) {
                QuotaClaims.commit(h, volumeId);
                if (row.typeId() != null && ending.volumeTypeId() != null
                        && !row.typeId().equals(ending.volumeTypeId())) {
                    QuotaClaims.releaseResources(h, volumeId, TYPE_KINDS.stream()
                            .map(kind -> kind + ":" + row.typeId()).toList());
                    h.createUpdate("UPDATE snapshots SET volume_type_id = :type WHERE volume_id = :id")
                            .bind("type", ending.volumeTypeId()).bind("id", volumeId).execute();
                }
            } else {
                QuotaClaims.rollback(h, volumeId);
            }
            AdminMetadata.remove(h, volumeId, DESTINATION);
            Workers.forget(h, CleanableResource.VOLUME, volumeId);
            return true;
        });
    }

    /** An administrator's reset of the volume's migration status ({@code null}: none); false when it is gone. */
    public boolean resetMigrationStatus(String volumeId, String migrationStatus) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE volumes SET migration_status = :m, updated_at = :now"
                        + " WHERE id = :id")
                .bind("m", migrationStatus).bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId)
                .execute() == 1);
    }

    /** The migration status of the volume, if it exists (null: none). */
    public Optional<Optional<String>> migrationStatus(String volumeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT migration_status FROM volumes WHERE id = :id")
                .bind("id", volumeId).map((rs, ctx) -> Optional.ofNullable(rs.getString(1))).findOne());
    }

    private record Row(String typeId, String attachStatus) {
    }
}
