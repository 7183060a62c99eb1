package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Transfer;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Volume transfers (Cinder's {@code transfers} table). Each change is one transaction that locks
 * the volume's row before it moves its status, as Cinder's conditional updates do:
 * <ul>
 *   <li>{@link #create}: the volume goes {@code available} → {@code awaiting-transfer} (and, unless
 *       the transfer leaves its snapshots behind, every snapshot must be {@code available});</li>
 *   <li>{@link #delete}: the transfer is deleted and the volume goes back to {@code available}
 *       (left as it is when it is no longer {@code awaiting-transfer});</li>
 *   <li>{@link #accept}: the volume (and, unless {@code no_snapshots}, its snapshots) change
 *       project and user, the volume goes {@code available}, their quota claims move to the
 *       receiving project within its limits, and the transfer is deleted as accepted — all or
 *       nothing.</li>
 * </ul>
 * Deleted transfers stay as rows ({@code deleted}) but are never listed or found.
 */
public final class TransferRepository {
    private static final String COLUMNS = "t.id, t.volume_id, t.display_name, t.salt, t.crypt_hash, t.no_snapshots,"
            + " t.source_project_id, t.destination_project_id, t.accepted, t.created_at, t.updated_at";

    /** Why a change was refused, or that it happened. */
    public enum Outcome {
        DONE,
        /** No such transfer (or it is deleted), or its volume is gone. */
        NOT_FOUND,
        /** The volume's status is not the one the change needs ({@link Result#detail()}: the status). */
        VOLUME_STATUS,
        /** A snapshot of the volume is not {@code available} ({@link Result#detail()}: its id). */
        SNAPSHOT_STATUS
    }

    /** The outcome, with what refused it ({@link Outcome}) and the transfer as it was when it was read. */
    public record Result(Outcome outcome, String detail, Transfer transfer) {
        static Result of(Outcome outcome, String detail) {
            return new Result(outcome, detail, null);
        }
    }

    private final Jdbi jdbi;

    public TransferRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Inserts {@code transfer} and moves its volume {@code available} → {@code awaiting-transfer},
     * if the volume is {@code available} and (unless {@link Transfer#noSnapshots()}) each of its
     * snapshots is too.
     */
    public Result create(Transfer transfer) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, transfer.volumeId());
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            if (!VolumeStatus.AVAILABLE.apiName().equals(status.get())) {
                return Result.of(Outcome.VOLUME_STATUS, status.get());
            }
            if (!transfer.noSnapshots()) {
                Optional<String> busy = unavailableSnapshot(h, transfer.volumeId());
                if (busy.isPresent()) {
                    return Result.of(Outcome.SNAPSHOT_STATUS, busy.get());
                }
            }
            setVolumeStatus(h, transfer.volumeId(), VolumeStatus.AWAITING_TRANSFER);
            h.createUpdate("INSERT INTO transfers (id, volume_id, display_name, salt, crypt_hash, expires_at,"
                            + " no_snapshots, source_project_id, destination_project_id, accepted, created_at,"
                            + " updated_at, deleted_at, deleted) VALUES (:id, :volume, :name, :salt, :hash, NULL,"
                            + " :noSnapshots, :source, NULL, FALSE, :created, NULL, NULL, FALSE)")
                    .bind("id", transfer.id()).bind("volume", transfer.volumeId()).bind("name", transfer.name())
                    .bind("salt", transfer.salt()).bind("hash", transfer.cryptHash())
                    .bind("noSnapshots", transfer.noSnapshots()).bind("source", transfer.sourceProjectId())
                    .bind("created", Rows.timestamp(transfer.createdAt())).execute();
            return new Result(Outcome.DONE, null, transfer);
        });
    }

    /** The transfer, unless deleted (or accepted). */
    public Optional<Transfer> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM transfers t WHERE t.id = :id"
                        + " AND t.deleted = FALSE")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The transfer, unless deleted, if its volume belongs to {@code projectId} (as Cinder shows a project its transfers). */
    public Optional<Transfer> find(String id, String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM transfers t JOIN volumes v"
                        + " ON v.id = t.volume_id WHERE t.id = :id AND t.deleted = FALSE AND v.project_id = :p")
                .bind("id", id).bind("p", projectId).map((rs, ctx) -> row(rs)).findOne());
    }

    /**
     * Transfers not deleted, oldest first ({@code created_at}, then id): of volumes of
     * {@code projectId}, or all when it is null.
     */
    public List<Transfer> list(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM transfers t"
                        + (projectId == null ? "" : " JOIN volumes v ON v.id = t.volume_id AND v.project_id = :p")
                        + " WHERE t.deleted = FALSE ORDER BY t.created_at, t.id")
                .bindMap(projectId == null ? Map.of() : Map.of("p", projectId))
                .map((rs, ctx) -> row(rs)).list());
    }

    /**
     * Deletes the transfer and moves its volume {@code awaiting-transfer} → {@code available}
     * (a volume in another status keeps it, as Cinder's); false when there is no such transfer.
     */
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            Optional<Transfer> transfer = lock(h, id);
            if (transfer.isEmpty()) {
                return false;
            }
            Optional<String> status = Locks.volumeStatus(h, transfer.get().volumeId());
            if (status.isPresent() && VolumeStatus.AWAITING_TRANSFER.apiName().equals(status.get())) {
                setVolumeStatus(h, transfer.get().volumeId(), VolumeStatus.AVAILABLE);
            }
            h.createUpdate("UPDATE transfers SET deleted = TRUE, deleted_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
            return true;
        });
    }

    /**
     * Gives the transfer's volume (and, unless {@link Transfer#noSnapshots()}, its snapshots) to
     * {@code projectId} and {@code userId}. Their quota claims move to {@code projectId} within the
     * limits {@code receiver} gives for what they hold (over a limit, checked first as Cinder does:
     * {@link QuotaExceededException}); then the volume must be {@code awaiting-transfer} and each
     * snapshot that goes with it {@code available}. Refused, nothing changes. The transfer is then
     * deleted, accepted.
     */
    public Result accept(String id, String userId, String projectId,
                         Function<Map<String, Long>, QuotaReservation> receiver) {
        Optional<Transfer> seen = find(id);
        if (seen.isEmpty()) {
            return Result.of(Outcome.NOT_FOUND, null);
        }
        // What the holders hold now, to make missing usage rows of the receiver before the transaction.
        QuotaReservation hint = receiver.apply(jdbi.withHandle(h -> QuotaClaims.heldBy(h, holders(h, seen.get()))));
        try {
            return QuotaClaims.inTransaction(jdbi, hint, h -> {
                Optional<Transfer> locked = lock(h, id);
                if (locked.isEmpty()) {
                    return Result.of(Outcome.NOT_FOUND, null);
                }
                Transfer transfer = locked.get();
                Optional<String> status = Locks.volumeStatus(h, transfer.volumeId());
                if (status.isEmpty()) {
                    return Result.of(Outcome.NOT_FOUND, null);
                }
                Optional<String> busy = transfer.noSnapshots() ? Optional.empty()
                        : unavailableSnapshot(h, transfer.volumeId());
                // Quota before the statuses, as Cinder reserves it before it looks at them: over quota is a 413
                // whatever they are. Usage rows still come after the holders' rows (locked above).
                QuotaClaims.give(h, holders(h, transfer), projectId, receiver);
                if (!VolumeStatus.AWAITING_TRANSFER.apiName().equals(status.get())) {
                    throw new Refused(new Result(Outcome.VOLUME_STATUS, status.get(), transfer));
                }
                if (busy.isPresent()) {
                    throw new Refused(new Result(Outcome.SNAPSHOT_STATUS, busy.get(), transfer));
                }
                var now = Rows.timestamp(Rows.now());
                h.createUpdate("UPDATE volumes SET status = :available, project_id = :p, user_id = :u,"
                                + " updated_at = :now WHERE id = :id")
                        .bind("available", VolumeStatus.AVAILABLE.apiName()).bind("p", projectId).bind("u", userId)
                        .bind("now", now).bind("id", transfer.volumeId()).execute();
                if (!transfer.noSnapshots()) {
                    h.createUpdate("UPDATE snapshots SET project_id = :p, user_id = :u, updated_at = :now"
                                    + " WHERE volume_id = :id")
                            .bind("p", projectId).bind("u", userId).bind("now", now).bind("id", transfer.volumeId())
                            .execute();
                }
                h.createUpdate("UPDATE transfers SET deleted = TRUE, deleted_at = :now, accepted = TRUE,"
                                + " destination_project_id = :p WHERE id = :id")
                        .bind("now", now).bind("p", projectId).bind("id", id).execute();
                return new Result(Outcome.DONE, null, transfer);
            });
        } catch (Refused refused) {
            return refused.result;
        }
    }

    /** A refusal found after the quota moved: thrown so that the transaction rolls the move back. */
    private static final class Refused extends RuntimeException {
        private final transient Result result;

        Refused(Result result) {
            super(result.outcome().name(), null, false, false);
            this.result = result;
        }
    }

    /** The volume and, unless the transfer leaves them, its snapshots: whose quota claims go with it. */
    private static List<String> holders(Handle h, Transfer transfer) {
        List<String> holders = new ArrayList<>();
        holders.add(transfer.volumeId());
        if (!transfer.noSnapshots()) {
            holders.addAll(h.createQuery("SELECT id FROM snapshots WHERE volume_id = :id ORDER BY id")
                    .bind("id", transfer.volumeId()).mapTo(String.class).list());
        }
        return holders;
    }

    /** Locks the volume's snapshots and names the first that is not {@code available}. */
    private static Optional<String> unavailableSnapshot(Handle h, String volumeId) {
        return h.createQuery("SELECT id, status FROM snapshots WHERE volume_id = :id ORDER BY created_at, id"
                        + " FOR UPDATE")
                .bind("id", volumeId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .filter(s -> !SnapshotStatus.AVAILABLE.apiName().equals(s.getValue())).map(Map.Entry::getKey)
                .findFirst();
    }

    private static void setVolumeStatus(Handle h, String volumeId, VolumeStatus status) {
        h.createUpdate("UPDATE volumes SET status = :s, updated_at = :now WHERE id = :id")
                .bind("s", status.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", volumeId).execute();
    }

    private static Optional<Transfer> lock(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM transfers t WHERE t.id = :id AND t.deleted = FALSE"
                        + " FOR UPDATE")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    private static Transfer row(ResultSet rs) throws SQLException {
        return new Transfer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), Rows.instant(rs, 10),
                Rows.instant(rs, 11));
    }
}
