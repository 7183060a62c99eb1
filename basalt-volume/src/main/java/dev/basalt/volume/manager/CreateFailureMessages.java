package dev.basalt.volume.manager;

import dev.basalt.common.Ids;
import dev.basalt.model.UserMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * The user messages a volume service leaves when it cannot create a volume, with Cinder's ids
 * (cinder/message/message_field.py): resource {@code VOLUME}, action {@code 008} (create volume
 * from backend storage), and detail {@code 012} (driver failed to create the volume, event id
 * {@code VOLUME_VOLUME_008_012}); for a volume made from a backup also {@code 017} (the backup's
 * status is invalid) or {@code 018} (no backup service to restore it); and when a volume cannot be
 * filled from its image: action {@code 005} (copy image to volume), detail {@code 001}, with the
 * reason as the detail's text.
 */
final class CreateFailureMessages {
    static final String RESOURCE_VOLUME = "VOLUME";
    static final String ACTION_CREATE_VOLUME_FROM_BACKEND = "008";
    static final String DETAIL_DRIVER_FAILED_CREATE = "012";
    static final String DETAIL_BACKUP_INVALID_STATE = "017";
    static final String DETAIL_BACKUP_SERVICE_DOWN = "018";
    static final String LEVEL_ERROR = "ERROR";
    static final String ACTION_COPY_IMAGE_TO_VOLUME = "005";
    static final String DETAIL_UNKNOWN_ERROR = "001";

    private CreateFailureMessages() {
    }

    static UserMessage driverFailedCreate(String projectId, String requestId, String volumeId, Instant now,
                                          Duration ttl) {
        return create(projectId, requestId, volumeId, DETAIL_DRIVER_FAILED_CREATE, "Driver failed to create the volume.",
                now, ttl);
    }

    /** The backup a volume was to be made from was no longer {@code available}. */
    static UserMessage backupInvalidState(String projectId, String requestId, String volumeId, Instant now,
                                          Duration ttl) {
        return create(projectId, requestId, volumeId, DETAIL_BACKUP_INVALID_STATE, "Backup status is invalid.", now,
                ttl);
    }

    /** No backup service could restore the backup a volume was to be made from. */
    static UserMessage backupServiceDown(String projectId, String requestId, String volumeId, Instant now,
                                         Duration ttl) {
        return create(projectId, requestId, volumeId, DETAIL_BACKUP_SERVICE_DOWN, "Backup service is down.", now, ttl);
    }

    private static UserMessage create(String projectId, String requestId, String volumeId, String detail,
                                      String text, Instant now, Duration ttl) {
        return new UserMessage(Ids.newId(), projectId, requestId, RESOURCE_VOLUME, volumeId,
                "VOLUME_" + RESOURCE_VOLUME + "_" + ACTION_CREATE_VOLUME_FROM_BACKEND + "_" + detail,
                LEVEL_ERROR, ACTION_CREATE_VOLUME_FROM_BACKEND, detail, text, now, now.plus(ttl));
    }

    static UserMessage imageFailed(String projectId, String requestId, String volumeId, String reason, Instant now,
                                   Duration ttl) {
        return new UserMessage(Ids.newId(), projectId, requestId, RESOURCE_VOLUME, volumeId,
                "VOLUME_" + RESOURCE_VOLUME + "_" + ACTION_COPY_IMAGE_TO_VOLUME + "_" + DETAIL_UNKNOWN_ERROR,
                LEVEL_ERROR, ACTION_COPY_IMAGE_TO_VOLUME, DETAIL_UNKNOWN_ERROR, reason, now, now.plus(ttl));
    }
}
