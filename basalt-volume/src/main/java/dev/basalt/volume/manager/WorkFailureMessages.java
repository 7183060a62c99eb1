package dev.basalt.volume.manager;

import dev.basalt.common.Ids;
import dev.basalt.model.UserMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * The user messages a volume service leaves when snapshot or extend work fails, with Cinder's ids
 * (cinder/message/message_field.py) and event ids {@code VOLUME_<resource>_<action>_<detail>}:
 * <ul>
 *   <li>create snapshot: resource {@code VOLUME_SNAPSHOT}, action {@code 009}, detail {@code 013};</li>
 *   <li>delete snapshot: resource {@code VOLUME_SNAPSHOT}, action {@code 010}, detail {@code 016};</li>
 *   <li>extend volume: resource {@code VOLUME}, action {@code 007}, detail {@code 010};</li>
 *   <li>upload volume to image: resource {@code VOLUME}, action {@code 003}, detail {@code 004};</li>
 *   <li>revert volume to snapshot: resource {@code VOLUME}, action {@code 017} (Basalt's own: Cinder 21
 *       leaves no message when a revert fails, and its last action id is 016), detail {@code 001};</li>
 *   <li>manage existing volume: resource {@code VOLUME}, action {@code 018} (Basalt's own: Cinder 21 leaves
 *       none), detail {@code 001} with the reason in words;</li>
 *   <li>manage existing snapshot: resource {@code VOLUME_SNAPSHOT}, the same action {@code 018} and detail
 *       {@code 001} with the reason in words.</li>
 * </ul>
 */
final class WorkFailureMessages {
    static final String RESOURCE_VOLUME = "VOLUME";
    static final String RESOURCE_SNAPSHOT = "VOLUME_SNAPSHOT";
    static final String ACTION_COPY_VOLUME_TO_IMAGE = "003";
    static final String ACTION_EXTEND_VOLUME = "007";
    static final String ACTION_REVERT_TO_SNAPSHOT = "017";
    static final String ACTION_MANAGE_EXISTING = "018";
    static final String DETAIL_FAILED_TO_UPLOAD_VOLUME = "004";
    static final String DETAIL_UNKNOWN_ERROR = "001";
    static final String ACTION_SNAPSHOT_CREATE = "009";
    static final String ACTION_SNAPSHOT_DELETE = "010";
    static final String DETAIL_DRIVER_FAILED_EXTEND = "010";
    static final String DETAIL_SNAPSHOT_CREATE_ERROR = "013";
    static final String DETAIL_SNAPSHOT_DELETE_ERROR = "016";
    static final String LEVEL_ERROR = "ERROR";

    private WorkFailureMessages() {
    }

    static UserMessage snapshotCreateFailed(String projectId, String requestId, String snapshotId, Instant now,
                                            Duration ttl) {
        return message(projectId, requestId, RESOURCE_SNAPSHOT, snapshotId, ACTION_SNAPSHOT_CREATE,
                DETAIL_SNAPSHOT_CREATE_ERROR, "Snapshot failed to create.", now, ttl);
    }

    static UserMessage snapshotDeleteFailed(String projectId, String requestId, String snapshotId, Instant now,
                                            Duration ttl) {
        return message(projectId, requestId, RESOURCE_SNAPSHOT, snapshotId, ACTION_SNAPSHOT_DELETE,
                DETAIL_SNAPSHOT_DELETE_ERROR, "Snapshot failed to delete.", now, ttl);
    }

    static UserMessage extendFailed(String projectId, String requestId, String volumeId, Instant now, Duration ttl) {
        return message(projectId, requestId, RESOURCE_VOLUME, volumeId, ACTION_EXTEND_VOLUME,
                DETAIL_DRIVER_FAILED_EXTEND, "Volume Driver failed to extend volume.", now, ttl);
    }

    static UserMessage uploadFailed(String projectId, String requestId, String volumeId, Instant now, Duration ttl) {
        return message(projectId, requestId, RESOURCE_VOLUME, volumeId, ACTION_COPY_VOLUME_TO_IMAGE,
                DETAIL_FAILED_TO_UPLOAD_VOLUME, "Failed to upload volume to image at backend.", now, ttl);
    }

    static UserMessage revertFailed(String projectId, String requestId, String volumeId, Instant now, Duration ttl) {
        return message(projectId, requestId, RESOURCE_VOLUME, volumeId, ACTION_REVERT_TO_SNAPSHOT,
                DETAIL_UNKNOWN_ERROR, "An unknown error occurred.", now, ttl);
    }

    /** A migration, or a retype that migrates, failed: Basalt's action {@code 020} (migrate) or {@code 019} (retype). */
    static UserMessage moveFailed(boolean retype, String projectId, String requestId, String volumeId, Instant now,
                                  Duration ttl) {
        return message(projectId, requestId, RESOURCE_VOLUME, volumeId, retype ? "019" : "020",
                DETAIL_UNKNOWN_ERROR, "An unknown error occurred.", now, ttl);
    }

    static UserMessage manageFailed(String projectId, String requestId, String volumeId, String reason, Instant now,
                                    Duration ttl) {
        return message(projectId, requestId, RESOURCE_VOLUME, volumeId, ACTION_MANAGE_EXISTING, DETAIL_UNKNOWN_ERROR,
                reason, now, ttl);
    }

    static UserMessage snapshotManageFailed(String projectId, String requestId, String snapshotId, String reason,
                                            Instant now, Duration ttl) {
        return message(projectId, requestId, RESOURCE_SNAPSHOT, snapshotId, ACTION_MANAGE_EXISTING,
                DETAIL_UNKNOWN_ERROR, reason, now, ttl);
    }

    private static UserMessage message(String projectId, String requestId, String resource, String resourceId,
                                       String action, String detailId, String detail, Instant now, Duration ttl) {
        return new UserMessage(Ids.newId(), projectId, requestId, resource, resourceId,
                "VOLUME_" + resource + "_" + action + "_" + detailId, LEVEL_ERROR, action, detailId, detail, now,
                now.plus(ttl));
    }
}
