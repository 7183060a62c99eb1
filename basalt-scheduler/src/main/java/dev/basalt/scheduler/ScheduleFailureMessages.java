package dev.basalt.scheduler;

import dev.basalt.common.Ids;
import dev.basalt.model.UserMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * The user messages the scheduler leaves when it cannot place a volume, with Cinder's ids
 * (cinder/message/message_field.py): resource {@code VOLUME}, action {@code 001} (schedule
 * allocate volume), detail {@code 003} (no backend available) or {@code 001} (unknown error),
 * and the event id {@code VOLUME_<resource>_<action>_<detail>}.
 */
final class ScheduleFailureMessages {
    static final String RESOURCE_VOLUME = "VOLUME";
    static final String ACTION_SCHEDULE_ALLOCATE_VOLUME = "001";
    static final String DETAIL_UNKNOWN_ERROR = "001";
    static final String DETAIL_NO_BACKEND_AVAILABLE = "003";
    static final String LEVEL_ERROR = "ERROR";

    private ScheduleFailureMessages() {
    }

    static UserMessage noValidBackend(String projectId, String requestId, String volumeId, Instant now, Duration ttl) {
        return message(projectId, requestId, volumeId, DETAIL_NO_BACKEND_AVAILABLE,
                "Could not find any available weighted backend.", now, ttl);
    }

    static UserMessage unknownError(String projectId, String requestId, String volumeId, Instant now, Duration ttl) {
        return message(projectId, requestId, volumeId, DETAIL_UNKNOWN_ERROR, "An unknown error occurred.", now, ttl);
    }

    /** Basalt's own action ids (Cinder leaves no message when a retype or migration finds no backend). */
    static final String ACTION_RETYPE_VOLUME = "019";
    static final String ACTION_MIGRATE_VOLUME = "020";

    /** A retype ({@link #ACTION_RETYPE_VOLUME}) or migration ({@link #ACTION_MIGRATE_VOLUME}) found no backend. */
    static UserMessage noBackendFor(String action, String projectId, String requestId, String volumeId, Instant now,
                                    Duration ttl) {
        return new UserMessage(Ids.newId(), projectId, requestId, RESOURCE_VOLUME, volumeId,
                eventId(RESOURCE_VOLUME, action, DETAIL_NO_BACKEND_AVAILABLE), LEVEL_ERROR, action,
                DETAIL_NO_BACKEND_AVAILABLE, "Could not find any available weighted backend.", now, now.plus(ttl));
    }

    static String eventId(String resourceType, String actionId, String detailId) {
        return "VOLUME_" + resourceType + "_" + actionId + "_" + detailId;
    }

    private static UserMessage message(String projectId, String requestId, String volumeId, String detailId,
                                       String detail, Instant now, Duration ttl) {
        return new UserMessage(Ids.newId(), projectId, requestId, RESOURCE_VOLUME, volumeId,
                eventId(RESOURCE_VOLUME, ACTION_SCHEDULE_ALLOCATE_VOLUME, detailId), LEVEL_ERROR,
                ACTION_SCHEDULE_ALLOCATE_VOLUME, detailId, detail, now, now.plus(ttl));
    }
}
