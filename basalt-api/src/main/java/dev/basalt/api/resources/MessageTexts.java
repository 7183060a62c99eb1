package dev.basalt.api.resources;

import dev.basalt.model.UserMessage;
import java.util.Map;

/** The words Cinder gives its user message actions, details and events. */
final class MessageTexts {
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("001", "schedule allocate volume"), Map.entry("002", "attach volume"),
            Map.entry("003", "copy volume to image"), Map.entry("004", "update attachment"),
            Map.entry("005", "copy image to volume"), Map.entry("006", "unmanage volume"),
            Map.entry("007", "extend volume"), Map.entry("008", "create volume from backend storage"),
            Map.entry("009", "create snapshot"), Map.entry("010", "delete snapshot"),
            Map.entry("011", "update snapshot"), Map.entry("012", "update snapshot metadata"),
            Map.entry("013", "create backup"), Map.entry("014", "delete backup"),
            Map.entry("015", "restore backup"), Map.entry("016", "reimage volume"),
            Map.entry("017", "revert volume to snapshot"), Map.entry("018", "manage existing volume"),
            Map.entry("019", "retype volume"), Map.entry("020", "migrate volume"));
    private static final Map<String, String> DETAILS = Map.ofEntries(
            Map.entry("001", "An unknown error occurred."),
            Map.entry("002", "Driver is not initialized at present."),
            Map.entry("003", "Could not find any available weighted backend."),
            Map.entry("004", "Failed to upload volume to image at backend."),
            Map.entry("005", "Volume's attach mode is invalid."),
            Map.entry("006", "Not enough quota resource for operation."),
            Map.entry("007", "Image used for creating volume exceeds available space."),
            Map.entry("008", "Unmanaging encrypted volumes is not supported."),
            Map.entry("009", "Compute service failed to extend volume."),
            Map.entry("010", "Volume Driver failed to extend volume."),
            Map.entry("011", "Image signature verification failed."),
            Map.entry("012", "Driver failed to create the volume."),
            Map.entry("013", "Snapshot failed to create."),
            Map.entry("014", "Volume snapshot update metadata failed."),
            Map.entry("015", "Snapshot is busy."),
            Map.entry("016", "Snapshot failed to delete."),
            Map.entry("017", "Backup status is invalid."),
            Map.entry("018", "Backup service is down."),
            Map.entry("019", "Failed to get backup device from the volume service."),
            Map.entry("020", "Backup driver failed to create backup."),
            Map.entry("021", "Failed to attach volume."),
            Map.entry("022", "Failed to detach volume."),
            Map.entry("023", "Cleanup of temporary volume/snapshot failed."),
            Map.entry("024", "Backup failed to schedule. Service not found for creating backup."),
            Map.entry("025", "Backup driver failed to delete backup."),
            Map.entry("026", "Backup driver failed to restore backup."),
            Map.entry("027", "Volume status is invalid."),
            Map.entry("028", "Compute service failed to reimage volume."));
    private static final Map<String, String> EVENTS = Map.of(
            "VOLUME_000001", "An unknown error occurred.",
            "VOLUME_000002", "No storage could be allocated for this volume request. You may be able to try another"
                    + " size or volume type.",
            "VOLUME_000003", "A readonly volume must be attached as readonly.",
            "VOLUME_000004", "Failed to copy volume to image as image quota has been met. Please delete images or have"
                    + " your limit increased, then try again.",
            "VOLUME_000005", "Unmanaging encrypted volumes is not supported.");

    private MessageTexts() {
    }

    /**
     * What the message says to the user: {@code <action>:<detail>} as Cinder writes it, preferring
     * the detail text the service recorded; for an event without an action, the event's text.
     */
    static String userMessage(UserMessage m) {
        if (m.actionId() == null && m.eventId() != null && EVENTS.containsKey(m.eventId())) {
            return EVENTS.get(m.eventId());
        }
        String action = m.actionId() == null ? "unknown action" : ACTIONS.getOrDefault(m.actionId(), "unknown action");
        String detail = m.detail() != null && !m.detail().isBlank() ? m.detail()
                : DETAILS.getOrDefault(m.detailId() == null ? "001" : m.detailId(), DETAILS.get("001"));
        return action + ":" + detail;
    }
}
