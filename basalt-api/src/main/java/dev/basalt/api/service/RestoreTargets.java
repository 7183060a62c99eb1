package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.model.Backup;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes the volume a backup is restored into when the caller names none, as Cinder does: a blank
 * volume of the backup's size named {@code restore_backup_<backup id>} (or the name given),
 * described {@code auto-created_from_restore_from_backup}, of the project's default type, created
 * through {@link VolumeService} (quota and scheduler included); then waits, polling, at most
 * {@code maxWait} for it to leave {@code creating}. A volume that ends in {@code error} is a 400 as
 * Cinder's (and, unlike Cinder, is deleted: a failed request leaves nothing behind); one still {@code creating} when the wait ends is deleted and the restore refused (503),
 * so no restore waits on a volume nobody will finish.
 */
public final class RestoreTargets {
    static final String DESCRIPTION = "auto-created_from_restore_from_backup";
    private static final Duration POLL = Duration.ofMillis(100);

    private final VolumeService volumes;
    private final Clock clock;
    private final Duration maxWait;

    public RestoreTargets(VolumeService volumes, Clock clock, Duration maxWait) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.clock = requireNonNull(clock, "clock");
        this.maxWait = requireNonNull(maxWait, "maxWait");
    }

    /** A new volume for {@code backup} in the caller's project, settled (not {@code creating}). */
    Volume create(RequestContext context, Backup backup, String name) {
        String volumeName = name != null ? name : "restore_backup_" + backup.id();
        return create(context, backup, volumes.plan(context,
                NewVolume.blank(volumeName, DESCRIPTION, backup.size(), null, null)));
    }

    /** The volume {@code plan} says, created for {@code backup} and settled (not {@code creating}). */
    private Volume create(RequestContext context, Backup backup, VolumePlan plan) {
        Volume volume = volumes.create(context, plan);
        Instant deadline = clock.instant().plus(maxWait);
        while (volume.status() == VolumeStatus.CREATING && clock.instant().isBefore(deadline)) {
            sleep();
            volume = volumes.visible(context, volume.id());
        }
        if (volume.status() == VolumeStatus.ERROR) {
            volumes.delete(context, volume, true, false);
            throw BasaltException.badRequest("Invalid volume: Error while creating volume %s for restoring backup %s.",
                    volume.id(), backup.id());
        }
        if (volume.status() == VolumeStatus.CREATING) {
            volumes.delete(context, volume, true, false);
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The volume to restore backup "
                    + backup.id() + " into was not created in time; it was deleted. Try again later.");
        }
        return volume;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "Interrupted while waiting for the volume to restore into.");
        }
    }
}
