package dev.basalt.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A manifest as versioned JSON, the form it has in a repository and in an exported backup record:
 *
 * <pre>{@code
 * {"format": "basalt-backup-manifest", "version": 1,
 *  "backup_id": "...", "volume_id": "...", "parent_backup_id": null,
 *  "volume_size": 1073741824, "chunk_size": 4194304, "compression": "zstd",
 *  "created_at": "2025-01-01T00:00:00Z", "data_bytes": ..., "stored_bytes": ...,
 *  "chunks": [12, "9f86d0...", "9f86d0...", 243]}
 * }</pre>
 *
 * {@code chunks} lists the chunk indexes in order: a string is one chunk's SHA-256 (64 lower-case
 * hex digits), a number is a run of that many chunks that read as zero (holes), so a sparse volume's
 * manifest stays small. Readers refuse versions they do not know.
 */
public final class ManifestCodec {
    public static final String FORMAT = "basalt-backup-manifest";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestCodec() {
    }

    public static byte[] encode(Manifest manifest) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", manifest.formatVersion());
        root.put("backup_id", manifest.backupId());
        root.put("volume_id", manifest.volumeId());
        if (manifest.parentBackupId().isPresent()) {
            root.put("parent_backup_id", manifest.parentBackupId().get());
        } else {
            root.putNull("parent_backup_id");
        }
        root.put("volume_size", manifest.volumeSize());
        root.put("chunk_size", manifest.chunkSize());
        root.put("compression", manifest.compression().configName());
        root.put("created_at", manifest.createdAt().toString());
        root.put("data_bytes", manifest.dataBytes());
        root.put("stored_bytes", manifest.storedBytes());
        ArrayNode chunks = root.putArray("chunks");
        ChunkTable table = manifest.chunks();
        int zeros = 0;
        for (int i = 0; i < table.count(); i++) {
            Optional<ChunkHash> hash = table.hash(i);
            if (hash.isEmpty()) {
                zeros++;
                continue;
            }
            if (zeros > 0) {
                chunks.add(zeros);
                zeros = 0;
            }
            chunks.add(hash.get().hex());
        }
        if (zeros > 0) {
            chunks.add(zeros);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write manifest of backup " + manifest.backupId(), e);
        }
    }

    /**
     * Reads and validates a manifest.
     *
     * @throws MalformedManifestException naming what is wrong (not JSON, a missing or wrong field,
     *     an unknown version, chunks that do not cover the volume)
     */
    public static Manifest decode(byte[] bytes) throws MalformedManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedManifestException("not a backup manifest: not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedManifestException("not a backup manifest: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedManifestException("not a backup manifest: expected a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new MalformedManifestException("not a backup manifest: \"format\" must be \"" + FORMAT + "\"");
        }
        int version = (int) integer(root, "version");
        if (version != FORMAT_VERSION) {
            throw new MalformedManifestException("backup manifest version " + version + " is not supported (this"
                    + " Basalt reads version " + FORMAT_VERSION + "): restore it with the Basalt that wrote it");
        }
        String backupId = text(root, "backup_id");
        long volumeSize = integer(root, "volume_size");
        long chunkSize = integer(root, "chunk_size");
        if (volumeSize < 0 || chunkSize <= 0 || chunkSize > BackupRequest.MAX_CHUNK_SIZE) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": volume_size " + volumeSize
                    + " or chunk_size " + chunkSize + " out of range");
        }
        Compression compression;
        Instant createdAt;
        try {
            compression = Compression.parse(text(root, "compression"));
            createdAt = Instant.parse(text(root, "created_at"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": " + e.getMessage(), e);
        }
        JsonNode parent = root.path("parent_backup_id");
        Optional<String> parentId = parent.isTextual() ? Optional.of(parent.asText()) : Optional.empty();
        if (!parent.isMissingNode() && !parent.isNull() && !parent.isTextual()) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": parent_backup_id must be a string or null");
        }
        try {
            ChunkTable chunks = chunks(root.path("chunks"), Manifest.chunkCount(volumeSize, (int) chunkSize), backupId);
            return new Manifest(version, backupId, text(root, "volume_id"), parentId, volumeSize, (int) chunkSize,
                    compression, createdAt, chunks, integer(root, "data_bytes"), integer(root, "stored_bytes"));
        } catch (IllegalArgumentException e) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": " + e.getMessage(), e);
        }
    }

    private static ChunkTable chunks(JsonNode node, int count, String backupId) throws MalformedManifestException {
        if (!node.isArray()) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": \"chunks\" must be an array");
        }
        ChunkHash[] hashes = new ChunkHash[count];
        long index = 0;
        for (JsonNode entry : node) {
            if (entry.isTextual()) {
                if (index >= count) {
                    index = count + 1L; // more entries than chunks
                    break;
                }
                hashes[(int) index++] = ChunkHash.parse(entry.asText());
            } else if (entry.isIntegralNumber() && entry.canConvertToLong() && entry.asLong() > 0) {
                index += entry.asLong();
            } else {
                throw new MalformedManifestException("backup manifest of " + backupId
                        + ": a chunks entry must be a SHA-256 in hex or a positive count of zero chunks, not " + entry);
            }
            if (index > count) {
                break;
            }
        }
        if (index != count) {
            throw new MalformedManifestException("backup manifest of " + backupId + ": \"chunks\" covers " + (index > count ? "more" : index)
                    + " chunks where the volume has " + count);
        }
        return ChunkTable.of(hashes);
    }

    private static String text(JsonNode root, String field) throws MalformedManifestException {
        JsonNode node = root.path(field);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedManifestException("backup manifest: \"" + field + "\" is missing or not a non-empty string");
        }
        return node.asText();
    }

    private static long integer(JsonNode root, String field) throws MalformedManifestException {
        JsonNode node = root.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new MalformedManifestException("backup manifest: \"" + field + "\" is missing or not an integer");
        }
        return node.asLong();
    }
}
