package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.model.BackendName;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrating a volume to another backend, by Cinder's rules ({@code os-migrate_volume} and
 * {@code os-migrate_volume_completion}, volume/api.py). The destination's volume service must be up
 * and enabled (400 otherwise); the volume must be {@code available}, in no group, not migrating,
 * without snapshots and on another backend (400 otherwise, Cinder's message). Basalt does not migrate
 * attached volumes (Cinder asks Nova to swap them; Basalt has no such path), saying so. The volume is
 * {@code maintenance} while it is copied (as Cinder with {@code lock_volume}; Basalt always locks it, as
 * nothing may write it during the copy), {@code migration_status} showing the steps.
 */
public final class VolumeMigrations {
    static final String REFUSED = "Invalid volume: Volume %s status must be available or in-use, must not be"
            + " migrating, have snapshots, be replicated, be part of a group and destination host/cluster must be"
            + " different than the current one";
    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrations.class);

    private final VolumeMoves moves;
    private final ServiceRepository services;
    private final AttachmentRepository attachments;
    private final SchedulerRpc schedulers;
    private final Clock clock;
    private final Duration serviceDownTime;

    public VolumeMigrations(VolumeMoves moves, ServiceRepository services, AttachmentRepository attachments,
                            SchedulerRpc schedulers, Clock clock, Duration serviceDownTime) {
        this.moves = requireNonNull(moves, "moves");
        this.services = requireNonNull(services, "services");
        this.attachments = requireNonNull(attachments, "attachments");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.clock = requireNonNull(clock, "clock");
        this.serviceDownTime = requireNonNull(serviceDownTime, "serviceDownTime");
    }

    /**
     * Starts migrating {@code volume} to {@code host} ({@code host@backend[#pool]}); a {@code cluster}
     * (3.16+) names none of Basalt's services.
     */
    public void migrate(RequestContext context, Volume volume, String host, String cluster, boolean forceHostCopy) {
        String named = host != null ? host : cluster;
        if (host == null || host.isBlank() || !host.contains("@") || !isUp(BackendName.backendOf(host))) {
            throw BasaltException.badRequest("Invalid host: No available service named '%s'", named);
        }
        if (volume.status() == VolumeStatus.IN_USE) {
            throw BasaltException.badRequest("Invalid volume: Basalt cannot migrate an attached volume (Cinder has Nova"
                    + " copy it to the new volume; Basalt has no such path). Detach volume %s first.", volume.id());
        }
        if (BackendName.backendOf(host).equals(volume.backend())) {
            throw BasaltException.badRequest(REFUSED, volume.id());
        }
        switch (moves.beginMigration(volume.id(), host)) {
            case DONE -> { }
            case NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case REFUSED -> throw BasaltException.badRequest(REFUSED, volume.id());
            default -> throw new IllegalStateException("unexpected outcome of a migration");
        }
        try {
            schedulers.migrateVolume(new MigrateVolume(volume.id(), host, forceHostCopy, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler to migrate volume {}", context.requestId(), volume.id(), e);
            moves.finish(volume.id(), VolumeMoves.Ending.failed(VolumeMoves.ERROR));
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "No scheduler could be reached; the volume was not migrated. Try again later.");
        }
        LOG.info("{} volume {} is migrating from {} to {}", context.requestId(), volume.id(), volume.host(), host);
    }

    /**
     * Cinder's {@code migrate_volume_completion}: with neither volume migrating, the new volume's id
     * (Basalt moves no attachments between volumes, so a source with attachments is refused); otherwise
     * the source must be mid-migration and the destination its {@code target:<id>}. Basalt's migrations
     * make no destination volume, so there is never one to complete.
     */
    public String complete(Volume volume, Volume newVolume, boolean error) {
        if (volume.migrationStatus() == null && newVolume.migrationStatus() == null) {
            if (!error && !attachments.ofVolume(volume.id()).isEmpty()) {
                throw BasaltException.badRequest("Invalid volume: Basalt cannot move the attachments of volume %s to"
                        + " volume %s; detach it first.", volume.id(), newVolume.id());
            }
            return newVolume.id();
        }
        if (volume.migrationStatus() == null) {
            throw BasaltException.badRequest("Invalid volume: Source volume not mid-migration.");
        }
        if (newVolume.migrationStatus() == null) {
            throw BasaltException.badRequest("Invalid volume: Destination volume not mid-migration.");
        }
        String expected = "target:" + volume.id();
        if (!expected.equals(newVolume.migrationStatus())) {
            throw BasaltException.badRequest("Invalid volume: Destination has migration_status %s, expected %s.",
                    newVolume.migrationStatus(), expected);
        }
        throw BasaltException.badRequest("Invalid volume: Basalt migrates volume %s without a destination volume;"
                + " there is no migration to complete with volume %s.", volume.id(), newVolume.id());
    }

    private boolean isUp(String backend) {
        return services.find(backend, VolumeRpc.BINARY)
                .filter(s -> !s.disabled() && s.isUp(clock.instant(), serviceDownTime)).isPresent();
    }
}
