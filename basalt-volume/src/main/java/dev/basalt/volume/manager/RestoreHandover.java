package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.BackupRecords;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.RestoreBackup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a volume made from a backup to the backup service that fills it (the second half of
 * Cinder's {@code _create_from_backup}): once the raw volume exists, the backup goes
 * {@code restoring} into it and the backup service of this volume service's own host (a Basalt
 * backup service writes the volumes of its own host) is asked to restore it, the volume left
 * {@code creating} until that restore ends it {@code available} or {@code error}.
 *
 * <p>The volume's workers row changes hands in the transaction that starts the restore
 * ({@link BackupRecords#beginRestoreIntoNew}): this service gives it up and the backup service claims
 * it when it starts writing, so a restart of this volume service leaves a restore that is running
 * alone; a backup service that stops while it holds the row has its work failed by a scheduler, and
 * a message to it that was lost is sent again, as any unclaimed work is.
 *
 * <p>When no enabled backup service that is up (it heartbeat within {@code service_down_time}) is
 * registered on this host, the backup is no longer
 * {@code available}, or the backup service cannot be asked, the volume goes {@code error} with the
 * reason and a user message, and the backup is {@code available} again.
 */
final class RestoreHandover {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreHandover.class);
    private static final Set<VolumeStatus> CREATING = Set.of(VolumeStatus.CREATING);

    private final String host;
    private final BackupRecords backups;
    private final VolumeRepository volumes;
    private final ServiceRepository services;
    private final BackupRpc backupServices;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;
    private final Duration serviceDownTime;

    /** {@code host}: this volume service's host (before the {@code @}), where its backup service runs. */
    RestoreHandover(String host, BackupRecords backups, VolumeRepository volumes, ServiceRepository services,
                    BackupRpc backupServices, MessageRepository messages, Clock clock, Duration messageTtl,
                    Duration serviceDownTime) {
        this.host = requireNonNull(host, "host");
        this.backups = requireNonNull(backups, "backups");
        this.volumes = requireNonNull(volumes, "volumes");
        this.services = requireNonNull(services, "services");
        this.backupServices = requireNonNull(backupServices, "backupServices");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
        this.serviceDownTime = requireNonNull(serviceDownTime, "serviceDownTime");
    }

    /** Whether the backup is already being restored into the volume (its create was sent again). */
    boolean handedOver(Volume volume, String backupId) {
        return backups.isRestoring(backupId, volume.id());
    }

    /** Has {@code backupId} restored into the raw {@code creating} volume; how that went. */
    VolumeManager.Outcome handOver(Volume volume, String backupId, String requestId) {
        Optional<ServiceRecord> service = services.find(host, BackupRpc.BINARY)
                .filter(s -> !s.disabled() && s.isUp(clock.instant(), serviceDownTime));
        if (service.isEmpty()) {
            return fail(volume, requestId, CreateFailureMessages::backupServiceDown, "no enabled backup service ("
                    + BackupRpc.BINARY + ") is up on host " + host + " to restore backup " + backupId
                    + " into the volume");
        }
        if (!backups.beginRestoreIntoNew(backupId, volume.id(), host)) {
            return fail(volume, requestId, CreateFailureMessages::backupInvalidState, "backup " + backupId + " is not available any more (deleted or in"
                    + " error), so it could not be restored into the volume");
        }
        try {
            backupServices.restoreBackup(host, new RestoreBackup(backupId, volume.id(), true, requestId));
        } catch (RuntimeException e) {
            LOG.error("could not ask the backup service of {} to restore backup {} into volume {}", host, backupId,
                    volume.id(), e);
            return fail(volume, requestId, CreateFailureMessages::backupServiceDown, "the backup service of host " + host + " could not be reached to restore"
                    + " backup " + backupId + " into the volume");
        }
        LOG.info("volume {} ({} GiB) created on {}; backup {} is being restored into it by the backup service of {}",
                volume.id(), volume.size(), volume.host(), backupId, host);
        return VolumeManager.Outcome.HANDED_OVER;
    }

    /** The volume goes {@code error} (and a backup restoring into it {@code available}), with a user message. */
    private VolumeManager.Outcome fail(Volume volume, String requestId, Message message, String reason) {
        LOG.warn("volume {} cannot be made from its backup: {}", volume.id(), reason);
        if (volumes.markError(volume.id(), CREATING, "Creating the volume from a backup failed: " + reason)) {
            try {
                messages.create(message.of(volume.projectId(), requestId, volume.id(), clock.instant(), messageTtl));
            } catch (RuntimeException e) {
                LOG.error("could not record the user message for volume {}", volume.id(), e);
            }
        }
        return VolumeManager.Outcome.FAILED;
    }

    /** One of {@link CreateFailureMessages}' messages. */
    private interface Message {
        UserMessage of(String projectId, String requestId, String volumeId, Instant now, Duration ttl);
    }
}
