package dev.basalt.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.common.Json;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code backup_url} of an exported backup record (Cinder's {@code export_record}), written by
 * the backup service that holds the backup and read back by the api and the backup service on
 * import: base64 of a versioned JSON document holding the backup's own fields (not its status,
 * host, owner or times of this deployment) and its repository manifest, so that the record
 * restores without the database it came from.
 */
public final class BackupUrl {
    static final String FORMAT = "basalt-backup-record";
    static final int VERSION = 1;

    /** What a record carries: the backup's fields (as exported; {@code available}) and its manifest's bytes. */
    public record Contents(Backup backup, byte[] manifest) {
    }

    private BackupUrl() {
    }

    /** The url of {@code backup} with its repository {@code manifest}. */
    public static String encode(Backup backup, byte[] manifest) {
        ObjectNode document = Json.mapper().createObjectNode();
        document.put("format", FORMAT);
        document.put("version", VERSION);
        ObjectNode fields = document.putObject("backup");
        fields.put("id", backup.id());
        fields.put("volume_id", backup.volumeId());
        fields.put("snapshot_id", backup.snapshotId());
        fields.put("availability_zone", backup.availabilityZone());
        fields.put("display_name", backup.name());
        fields.put("display_description", backup.description());
        fields.put("container", backup.container());
        fields.put("size", backup.size());
        fields.put("object_count", backup.objectCount());
        fields.put("parent_id", backup.parentId());
        fields.put("data_timestamp", backup.dataTimestamp() == null ? null : backup.dataTimestamp().toString());
        fields.put("service", backup.service());
        fields.put("service_metadata", backup.serviceMetadata());
        if (backup.storedBytes() != null) {
            fields.put("stored_bytes", backup.storedBytes());
        }
        ObjectNode metadata = fields.putObject("metadata");
        backup.metadata().forEach(metadata::put);
        document.put("manifest", Base64.getEncoder().encodeToString(manifest));
        try {
            return Base64.getEncoder().encodeToString(Json.mapper().writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a backup record cannot be written as JSON", e);
        }
    }

    /**
     * The contents of a url; the backup is {@code available}, with no project, user, host or times
     * (the importer gives those).
     *
     * @throws IllegalArgumentException with a message for the user when the url is not a backup
     *     record Basalt wrote
     */
    public static Contents decode(String url) {
        JsonNode document;
        try {
            document = Json.mapper().readTree(Base64.getDecoder().decode(url.strip()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new IllegalArgumentException("the backup_url is not base64 of a JSON backup record");
        }
        if (document == null || !document.isObject() || !FORMAT.equals(document.path("format").asText())) {
            throw new IllegalArgumentException("the backup_url is not a backup record exported by Basalt");
        }
        if (document.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("the backup record has format version "
                    + document.path("version") + "; this Basalt reads version " + VERSION);
        }
        JsonNode fields = document.path("backup");
        String id = required(fields, "id");
        String volumeId = required(fields, "volume_id");
        JsonNode size = fields.path("size");
        if (!size.canConvertToInt() || size.asInt() < 1) {
            throw new IllegalArgumentException("the backup record's size is not a positive number of GiB");
        }
        String encodedManifest = required(document, "manifest");
        byte[] manifest;
        try {
            manifest = Base64.getDecoder().decode(encodedManifest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the backup record's manifest is not base64");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        fields.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        Backup backup = new Backup(id, null, null, volumeId, text(fields, "snapshot_id"), null,
                text(fields, "availability_zone"), text(fields, "display_name"), text(fields, "display_description"),
                text(fields, "container"), BackupStatus.AVAILABLE, null, text(fields, "service"),
                text(fields, "service_metadata"), size.asInt(), fields.path("object_count").asInt(0),
                text(fields, "parent_id"), 0, instant(fields, "data_timestamp"), null, null, null, null,
                fields.hasNonNull("stored_bytes") ? fields.get("stored_bytes").asLong() : null, metadata, null, null);
        return new Contents(backup, manifest);
    }

    private static String required(JsonNode object, String field) {
        String value = text(object, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the backup record has no " + field);
        }
        return value;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode object, String field) {
        String value = text(object, field);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the backup record's " + field + " is not a time: " + value);
        }
    }
}
