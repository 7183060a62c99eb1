package dev.basalt.glance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An image as Glance's v2 API describes it: its core attributes and its extra properties (every
 * other field of the record, as Cinder's image service separates them).
 *
 * @param size       bytes of the stored data; null while the image has none
 * @param properties extra properties, values as text (a non-text value as its JSON)
 * @param updatedAt  Glance's {@code updated_at}, as it writes it; null when not known
 */
public record GlanceImage(String id, String name, String status, String diskFormat, String containerFormat,
                          Long size, Long virtualSize, int minDisk, int minRam, String checksum,
                          Map<String, String> properties, String updatedAt) {
    /** The core attributes of Glance's image schema; any other field is an extra property. */
    private static final Set<String> CORE = Set.of("id", "name", "status", "visibility", "protected", "checksum",
            "owner", "size", "virtual_size", "disk_format", "container_format", "created_at", "updated_at", "tags",
            "direct_url", "min_ram", "min_disk", "self", "file", "schema", "locations", "os_hidden", "os_hash_algo",
            "os_hash_value", "stores");

    public GlanceImage {
        requireNonNull(id, "id");
        requireNonNull(status, "status");
        properties = Map.copyOf(properties);
    }

    /** An image whose {@code updated_at} is not known. */
    public GlanceImage(String id, String name, String status, String diskFormat, String containerFormat, Long size,
                       Long virtualSize, int minDisk, int minRam, String checksum, Map<String, String> properties) {
        this(id, name, status, diskFormat, containerFormat, size, virtualSize, minDisk, minRam, checksum, properties,
                null);
    }

    /** Whether Glance says the image's data is ready ({@code active}). */
    public boolean active() {
        return "active".equals(status);
    }

    /** Reads one image record of {@code GET /v2/images/{id}} (or of a list). */
    public static GlanceImage fromJson(JsonNode image) {
        Map<String, String> properties = new LinkedHashMap<>();
        image.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (!CORE.contains(field.getKey()) && !value.isNull()) {
                properties.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
        });
        return new GlanceImage(image.path("id").asText(), text(image, "name"), image.path("status").asText(),
                text(image, "disk_format"), text(image, "container_format"), number(image, "size"),
                number(image, "virtual_size"), image.path("min_disk").asInt(0), image.path("min_ram").asInt(0),
                text(image, "checksum"), properties, text(image, "updated_at"));
    }

    private static String text(JsonNode image, String field) {
        JsonNode value = image.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Long number(JsonNode image, String field) {
        JsonNode value = image.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }
}
