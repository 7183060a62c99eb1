package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * Status changes of a volume that depend on other rows: its snapshots, and volumes being made
 * from it or from its snapshots. Each runs in one transaction that first locks the row whose
 * status it checks, so a concurrent change of that row waits and then sees this one's outcome.
 * The work each starts is recorded in the same transaction (a workers row, {@link Workers}).
 */
public final class VolumeTransitions {
    /** Snapshot statuses a cascading delete takes along without {@code force} (Cinder's rule). */
    public static final Set<SnapshotStatus> CASCADE_DELETABLE = EnumSet.of(SnapshotStatus.AVAILABLE,
            SnapshotStatus.ERROR);
    /** Source volume statuses a clone may be made from. */
    public static final Set<VolumeStatus> CLONEABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);

    /** Why a transition was refused, or that it happened. */
    public enum Outcome {
        DONE,
        NOT_FOUND,
        /** The row's status is not one the caller allowed. */
        STATUS,
        /** The volume is attached. */
        ATTACHED,
        /** The volume has snapshots (and the caller did not ask to delete them too). */
        HAS_SNAPSHOTS,
        /** The volume has snapshots whose status does not let them be deleted. */
        SNAPSHOTS_BUSY,
        /** A snapshot of the volume is being taken, or a volume is being made from it. */
        BUSY,
        /** The new size is not larger than the volume's (extend), or smaller than the source's (create). */
        SIZE,
        /** The snapshot is gone, or its status is not one the caller allowed (revert). */
        SNAPSHOT_STATUS,
        /** The snapshot is not the volume's latest (revert). */
        NOT_LATEST,
        /** A snapshot of the volume is a member of a group snapshot (it goes with its group snapshot only). */
        GROUP_SNAPSHOT
    }

    /**
     * The outcome, with the volume's snapshots as they were before (oldest first): those a cascading
     * delete moved to {@code deleting}, or those that stood in the way.
     */
    public record DeleteResult(Outcome outcome, List<Snapshot> snapshots) {
        public DeleteResult {
            snapshots = List.copyOf(snapshots);
        }
    }

    /** The outcome, with the size the volume or source had when it was checked. */
    public record SizedResult(Outcome outcome, int size) {
    }

    private final Jdbi jdbi;
    private final VolumeRepository volumes;

    public VolumeTransitions(Database database, VolumeRepository volumes) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.volumes = requireNonNull(volumes, "volumes");
    }

    /**
     * Moves the volume to {@code deleting} if its status is one of {@code expected}, it is not
     * attached, no volume is being made from it, and it has no snapshots, unless {@code cascade}:
     * then its snapshots go to {@code deleting} with it, if each is {@link #CASCADE_DELETABLE} (any
     * status when {@code force}).
     */
    public DeleteResult beginDelete(String volumeId, Set<VolumeStatus> expected, boolean cascade, boolean force) {
        return beginRemoval(volumeId, expected, cascade, force, VolumeStatus.DELETING);
    }

    /**
     * Moves the volume to {@code unmanaging} (Cinder's unmanage: a delete that keeps the bytes) by
     * the rules of a delete without {@code cascade} or {@code force}: its status one of
     * {@code expected}, not attached, no volume being made from it, no snapshots.
     */
    public DeleteResult beginUnmanage(String volumeId, Set<VolumeStatus> expected) {
        return beginRemoval(volumeId, expected, false, false, VolumeStatus.UNMANAGING);
    }

    private DeleteResult beginRemoval(String volumeId, Set<VolumeStatus> expected, boolean cascade, boolean force,
                                      VolumeStatus next) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return new DeleteResult(Outcome.NOT_FOUND, List.of());
            }
            if (!contains(expected, status.get())) {
                return new DeleteResult(Outcome.STATUS, List.of());
            }
            String attach = h.createQuery("SELECT attach_status FROM volumes WHERE id = :id")
                    .bind("id", volumeId).mapTo(String.class).one();
            if (AttachStatus.ATTACHED.apiName().equals(attach)) {
                return new DeleteResult(Outcome.ATTACHED, List.of());
            }
            if (Locks.volumesCreatingFrom(h, "source_volid", volumeId) > 0) {
                return new DeleteResult(Outcome.BUSY, List.of());
            }
            List<Snapshot> snapshots = h.createQuery("SELECT " + SnapshotRepository.COLUMNS + " FROM snapshots"
                            + " WHERE volume_id = :id ORDER BY created_at, id FOR UPDATE")
                    .bind("id", volumeId).map((rs, ctx) -> SnapshotRepository.row(rs)).list();
            if (!snapshots.isEmpty() && !cascade) {
                return new DeleteResult(Outcome.HAS_SNAPSHOTS, snapshots);
            }
            for (Snapshot s : snapshots) {
                if (s.groupSnapshotId() != null) {
                    return new DeleteResult(Outcome.GROUP_SNAPSHOT, snapshots);
                }
                if (!force && !CASCADE_DELETABLE.contains(s.status())) {
                    return new DeleteResult(Outcome.SNAPSHOTS_BUSY, snapshots);
                }
                if (Locks.volumesCreatingFrom(h, "snapshot_id", s.id()) > 0) {
                    return new DeleteResult(Outcome.BUSY, snapshots);
                }
            }
            h.createUpdate("UPDATE volumes SET status = :next, updated_at = :now WHERE id = :id")
                    .bind("next", next.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", volumeId).execute();
            Workers.record(h, CleanableResource.VOLUME, volumeId, next.apiName());
            if (!snapshots.isEmpty()) {
                h.createUpdate("UPDATE snapshots SET status = :deleting, updated_at = :now WHERE volume_id = :id")
                        .bind("deleting", SnapshotStatus.DELETING.apiName()).bind("now", Rows.timestamp(Rows.now()))
                        .bind("id", volumeId).execute();
                // The volume's row covers its snapshots' deletion.
                Workers.forgetAll(h, CleanableResource.SNAPSHOT, snapshots.stream().map(Snapshot::id).toList());
            }
            return new DeleteResult(Outcome.DONE, snapshots);
        });
    }

    /**
     * available → extending, remembering {@code newSize} (admin metadata {@code extend_new_size}),
     * if {@code newSize} is larger than the volume and no snapshot of it is being taken and no
     * volume is being made from it.
     */
    public SizedResult beginExtend(String volumeId, int newSize) {
        return beginExtend(volumeId, newSize, null);
    }

    /**
     * As {@link #beginExtend(String, int)}, also reserving, in the same transaction and after the
     * checks, what {@code reservation} asks for the growth (given the increase in GiB as the volume
     * has it then; null reserves nothing): throws {@link QuotaExceededException} (and changes
     * nothing) when it does not fit. {@link VolumeRepository#finishExtend} commits the reservation,
     * {@link VolumeRepository#markFailed} ({@code error_extending}) gives it back.
     * {@code reservation} is also asked once beforehand (for 1 GiB) for the resources it names.
     */
    public SizedResult beginExtend(String volumeId, int newSize, IntFunction<QuotaReservation> reservation) {
        return QuotaClaims.inTransaction(jdbi, reservation == null ? null : reservation.apply(1), h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return new SizedResult(Outcome.NOT_FOUND, 0);
            }
            int size = h.createQuery("SELECT size FROM volumes WHERE id = :id").bind("id", volumeId)
                    .mapTo(Integer.class).one();
            if (!VolumeStatus.AVAILABLE.apiName().equals(status.get())) {
                return new SizedResult(Outcome.STATUS, size);
            }
            if (newSize <= size) {
                return new SizedResult(Outcome.SIZE, size);
            }
            long creatingSnapshots = h.createQuery("SELECT COUNT(*) FROM snapshots WHERE volume_id = :id"
                            + " AND status = :creating")
                    .bind("id", volumeId).bind("creating", SnapshotStatus.CREATING.apiName())
                    .mapTo(Long.class).one();
            if (creatingSnapshots > 0 || Locks.volumesCreatingFrom(h, "source_volid", volumeId) > 0) {
                return new SizedResult(Outcome.BUSY, size);
            }
            h.createUpdate("UPDATE volumes SET status = :extending, updated_at = :now WHERE id = :id")
                    .bind("extending", VolumeStatus.EXTENDING.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", volumeId).execute();
            AdminMetadata.put(h, volumeId, Volume.EXTEND_NEW_SIZE, Integer.toString(newSize));
            Workers.record(h, CleanableResource.VOLUME, volumeId, VolumeStatus.EXTENDING.apiName());
            if (reservation != null) {
                QuotaClaims.reserveMore(h, volumeId, reservation.apply(newSize - size));
            }
            return new SizedResult(Outcome.DONE, size);
        });
    }

    /**
     * Starts reverting the volume to its snapshot: the volume {@code available} → {@code reverting}
     * and the snapshot {@code available} → {@code restoring}, both or neither (the volume's row is
     * locked first, then the snapshot's). Refused when the volume is not {@code available}
     * ({@link Outcome#STATUS}), the snapshot is not {@code available} ({@link Outcome#SNAPSHOT_STATUS})
     * or is not the volume's latest snapshot ({@link Outcome#NOT_LATEST}: one taken since the caller
     * looked). The work is recorded with the volume.
     */
    public Outcome beginRevert(String volumeId, String snapshotId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (!VolumeStatus.AVAILABLE.apiName().equals(status.get())) {
                return Outcome.STATUS;
            }
            Optional<String> snapshotStatus = Locks.snapshotStatus(h, snapshotId);
            if (snapshotStatus.isEmpty() || !SnapshotStatus.AVAILABLE.apiName().equals(snapshotStatus.get())) {
                return Outcome.SNAPSHOT_STATUS;
            }
            Optional<String> latest = h.createQuery("SELECT id FROM snapshots WHERE volume_id = :id"
                            + " ORDER BY created_at DESC, id DESC")
                    .bind("id", volumeId).setMaxRows(1).mapTo(String.class).findFirst();
            if (!latest.equals(Optional.of(snapshotId))) {
                return Outcome.NOT_LATEST;
            }
            RowUpdates.ifStatus(h, "volumes", volumeId, List.of(status.get()), "status = :next",
                    u -> u.bind("next", VolumeStatus.REVERTING.apiName()));
            RowUpdates.ifStatus(h, "snapshots", snapshotId, List.of(snapshotStatus.get()), "status = :next",
                    u -> u.bind("next", SnapshotStatus.RESTORING.apiName()));
            Workers.record(h, CleanableResource.VOLUME, volumeId, VolumeStatus.REVERTING.apiName());
            return Outcome.DONE;
        });
    }

    /**
     * Ends a revert, both rows in one transaction: the volume {@code reverting} → {@code next}
     * ({@code available}, or {@code error} with {@code reason} when the revert failed) and the
     * snapshot {@code restoring} → {@code available} (as Cinder, whatever the outcome: its data is
     * untouched). False, and nothing changed, when the volume is no longer {@code reverting}.
     */
    public boolean endRevert(String volumeId, String snapshotId, VolumeStatus next, String reason) {
        return jdbi.inTransaction(h -> {
            boolean moved = RowUpdates.ifStatus(h, "volumes", volumeId, List.of(VolumeStatus.REVERTING.apiName()),
                    "status = :next, error_reason = :reason",
                    u -> u.bind("next", next.apiName()).bind("reason", Rows.truncate(reason, 1024)));
            if (!moved) {
                return false;
            }
            RowUpdates.ifStatus(h, "snapshots", snapshotId, List.of(SnapshotStatus.RESTORING.apiName()),
                    "status = :next", u -> u.bind("next", SnapshotStatus.AVAILABLE.apiName()));
            Workers.forget(h, CleanableResource.VOLUME, volumeId);
            return true;
        });
    }

    /**
     * Inserts a volume made from a snapshot ({@code volume.snapshotId()}) or another volume
     * ({@code volume.sourceVolid()}), if that source exists, is {@code available} (a snapshot) or
     * {@link #CLONEABLE} (a volume), and is not larger than the new volume; the source's row is held
     * meanwhile, so it cannot start being deleted or extended in between.
     */
    public SizedResult createFromSource(Volume volume) {
        return createFromSource(volume, null);
    }

    /**
     * As {@link #createFromSource(Volume)}, also reserving the new volume's quota
     * ({@code reservation}, none when null) in the same transaction, after the source's checks:
     * throws {@link QuotaExceededException} (and inserts nothing) when it does not fit. The claim
     * settles as a new volume's does ({@link VolumeRepository}).
     */
    public SizedResult createFromSource(Volume volume, QuotaReservation reservation) {
        requireNonNull(volume, "volume");
        boolean fromSnapshot = volume.snapshotId() != null;
        if (fromSnapshot == (volume.sourceVolid() != null)) {
            throw new IllegalArgumentException("a volume is made from exactly one snapshot or source volume");
        }
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            Optional<String> status = fromSnapshot ? Locks.snapshotStatus(h, volume.snapshotId())
                    : Locks.volumeStatus(h, volume.sourceVolid());
            if (status.isEmpty()) {
                return new SizedResult(Outcome.NOT_FOUND, 0);
            }
            int size = fromSnapshot
                    ? h.createQuery("SELECT volume_size FROM snapshots WHERE id = :id").bind("id", volume.snapshotId())
                            .mapTo(Integer.class).one()
                    : h.createQuery("SELECT size FROM volumes WHERE id = :id").bind("id", volume.sourceVolid())
                            .mapTo(Integer.class).one();
            boolean statusOk = fromSnapshot ? SnapshotStatus.AVAILABLE.apiName().equals(status.get())
                    : contains(CLONEABLE, status.get());
            if (!statusOk) {
                return new SizedResult(Outcome.STATUS, size);
            }
            if (volume.size() < size) {
                return new SizedResult(Outcome.SIZE, size);
            }
            volumes.insert(h, volume);
            if (reservation != null) {
                QuotaClaims.reserve(h, volume.id(), reservation);
            }
            return new SizedResult(Outcome.DONE, size);
        });
    }

    private static boolean contains(Set<VolumeStatus> statuses, String apiName) {
        return statuses.stream().anyMatch(s -> s.apiName().equals(apiName));
    }
}
