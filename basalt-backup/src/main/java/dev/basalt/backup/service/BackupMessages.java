package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.db.MessageRepository;
import dev.basalt.model.Backup;
import dev.basalt.model.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user messages a backup service leaves when its work fails, about the backup (resource
 * {@code VOLUME_BACKUP}, its id), with Cinder's action and detail ids
 * (cinder/message/message_field.py) and event ids {@code VOLUME_VOLUME_BACKUP_<action>_<detail>}:
 * <ul>
 *   <li>create backup ({@code 013}): the volume service did not give the device ({@code 019}), or the
 *       backup driver failed ({@code 020});</li>
 *   <li>delete backup ({@code 014}): the backup driver failed ({@code 025});</li>
 *   <li>restore backup ({@code 015}): the backup driver failed ({@code 026}).</li>
 * </ul>
 * A message that cannot be written is logged, never thrown: the backup's status already says it.
 */
final class BackupMessages {
    static final String RESOURCE = "VOLUME_BACKUP";
    static final String ACTION_CREATE = "013";
    static final String ACTION_DELETE = "014";
    static final String ACTION_RESTORE = "015";

    /** Why the work failed, as Cinder's message details. */
    enum Detail {
        DEVICE_ERROR("019", "Failed to get backup device from the volume service."),
        CREATE_DRIVER_ERROR("020", "Backup driver failed to create backup."),
        DELETE_DRIVER_ERROR("025", "Backup driver failed to delete backup."),
        RESTORE_ERROR("026", "Backup driver failed to restore backup.");

        final String id;
        final String text;

        Detail(String id, String text) {
            this.id = id;
            this.text = text;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BackupMessages.class);

    private final MessageRepository messages;
    private final Clock clock;
    private final Duration ttl;

    BackupMessages(MessageRepository messages, Clock clock, Duration ttl) {
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.ttl = requireNonNull(ttl, "ttl");
    }

    void createFailed(Backup backup, String requestId, Detail detail) {
        leave(backup, requestId, ACTION_CREATE, detail);
    }

    void deleteFailed(Backup backup, String requestId) {
        leave(backup, requestId, ACTION_DELETE, Detail.DELETE_DRIVER_ERROR);
    }

    void restoreFailed(Backup backup, String requestId) {
        leave(backup, requestId, ACTION_RESTORE, Detail.RESTORE_ERROR);
    }

    private void leave(Backup backup, String requestId, String action, Detail detail) {
        Instant now = clock.instant();
        try {
            messages.create(new UserMessage(Ids.newId(), backup.projectId(), requestId, RESOURCE, backup.id(),
                    "VOLUME_" + RESOURCE + "_" + action + "_" + detail.id, "ERROR", action, detail.id, detail.text,
                    now, now.plus(ttl)));
        } catch (RuntimeException e) {
            LOG.warn("cannot leave a user message about backup {}", backup.id(), e);
        }
    }
}
