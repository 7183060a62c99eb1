package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import java.util.Optional;

/**
 * The source of a volume being created: a snapshot ({@code snapshot_id}) or another volume
 * ({@code source_volid}, a clone), checked by Cinder's rules. The caller must see the source
 * (404 otherwise); a snapshot must be {@code available}, a source volume {@code available} or
 * {@code in-use}; the new volume takes the source's size when none is given and may not be
 * smaller; it takes the source's type when none is given, and lives in the source's availability
 * zone (naming another is a 400, as Cinder's default {@code cloned_volume_same_az}). The row is then
 * written by {@link VolumeTransitions#createFromSource}, which checks the source again while
 * holding it.
 */
public final class VolumeSources {
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeTransitions transitions;

    public VolumeSources(SnapshotRepository snapshots, VolumeRepository volumes, VolumeTransitions transitions) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.transitions = requireNonNull(transitions, "transitions");
    }

    /**
     * Where a new volume's bytes come from: {@code snapshot} (null for a clone) and {@code volume},
     * the snapshot's volume or the clone's source volume.
     */
    record Source(Snapshot snapshot, Volume volume) {
        int size() {
            return snapshot != null ? snapshot.volumeSize() : volume.size();
        }

        String volumeTypeId() {
            return snapshot != null ? snapshot.volumeTypeId() : volume.volumeTypeId();
        }

        String snapshotId() {
            return snapshot == null ? null : snapshot.id();
        }

        /** The source's key id: the snapshot's, else the volume's (null: not encrypted). */
        String encryptionKeyId() {
            return snapshot != null ? snapshot.encryptionKeyId() : volume.encryptionKeyId();
        }

        String sourceVolid() {
            return snapshot == null ? volume.id() : null;
        }
    }

    /** The source {@code request} names, checked; empty when it names none. */
    Optional<Source> resolve(RequestContext context, NewVolume request) {
        String snapshotId = request.snapshotId();
        String sourceVolid = request.sourceVolid();
        if (snapshotId != null && snapshotId.isEmpty()) {
            snapshotId = null;
        }
        if (sourceVolid != null && sourceVolid.isEmpty()) {
            sourceVolid = null;
        }
        if (snapshotId != null && sourceVolid != null) {
            throw BasaltException.badRequest("Invalid input received: May specify only one of snapshot, source"
                    + " volume");
        }
        if (snapshotId != null) {
            String id = snapshotId;
            Snapshot snapshot = (context.isAdmin() ? snapshots.find(id) : snapshots.find(id, context.projectId()))
                    .orElseThrow(() -> SnapshotService.notFound(id));
            if (snapshot.status() != SnapshotStatus.AVAILABLE) {
                throw snapshotStatus();
            }
            Volume of = volumes.find(snapshot.volumeId()).orElseThrow(() -> SnapshotService.notFound(id));
            return Optional.of(new Source(snapshot, of));
        }
        if (sourceVolid != null) {
            String id = sourceVolid;
            Volume source = (context.isAdmin() ? volumes.find(id) : volumes.find(id, context.projectId()))
                    .orElseThrow(() -> VolumeService.notFound(id));
            if (!VolumeTransitions.CLONEABLE.contains(source.status())) {
                throw sourceStatus();
            }
            return Optional.of(new Source(null, source));
        }
        return Optional.empty();
    }

    /** The new volume's size: the source's when {@code requested} is null; never smaller than the source. */
    static int size(Source source, Integer requested) {
        if (requested == null) {
            return source.size();
        }
        if (requested < source.size()) {
            throw tooSmall(source, requested, source.size());
        }
        return requested;
    }

    /** The zone: the source volume's; naming another one is a 400. */
    static String zone(Source source, String requested) {
        String sourceZone = source.volume().availabilityZone();
        if (requested != null && sourceZone != null && !requested.equals(sourceZone)) {
            throw BasaltException.badRequest("Invalid input received: Volume must be in the same availability zone as"
                    + " the %s", source.snapshot() != null ? "snapshot" : "source volume");
        }
        return requested != null ? requested : sourceZone;
    }

    /**
     * Writes the row while holding the source, reserving {@code reservation} as a new volume does;
     * a source that changed meanwhile is refused as above, a reservation that does not fit with a
     * {@link dev.basalt.db.QuotaExceededException}.
     */
    void create(Source source, Volume row, QuotaReservation reservation) {
        VolumeTransitions.SizedResult result = transitions.createFromSource(row, reservation);
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw source.snapshot() != null ? SnapshotService.notFound(source.snapshotId())
                    : VolumeService.notFound(source.sourceVolid());
            case STATUS -> throw source.snapshot() != null ? snapshotStatus() : sourceStatus();
            case SIZE -> throw tooSmall(source, row.size(), result.size());
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
    }

    private static BasaltException snapshotStatus() {
        return BasaltException.badRequest("Invalid snapshot: Originating snapshot status must be one of 'available'"
                + " values");
    }

    private static BasaltException sourceStatus() {
        return BasaltException.badRequest("Invalid volume: Originating source volume status must be one of"
                + " 'available, in-use' values");
    }

    private static BasaltException tooSmall(Source source, int size, int sourceSize) {
        return source.snapshot() != null
                ? BasaltException.badRequest("Invalid input received: Volume size '%d'GB cannot be smaller than the"
                        + " snapshot size %dGB. They must be >= original snapshot size.", size, sourceSize)
                : BasaltException.badRequest("Invalid input received: Volume size '%d'GB cannot be smaller than"
                        + " original volume size %dGB. They must be >= original volume size.", size, sourceSize);
    }
}
