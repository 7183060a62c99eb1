package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The volume fields a query may filter or sort by: API name, SQL column, and value type. */
enum VolumeColumn {
    ID("id", "id", "id", Kind.TEXT),
    NAME("name", "display_name", "COALESCE(display_name, '')", Kind.TEXT),
    DESCRIPTION("description", "display_description", "COALESCE(display_description, '')", Kind.TEXT),
    STATUS("status", "status", "status", Kind.TEXT),
    SIZE("size", "size", "size", Kind.INTEGER),
    AVAILABILITY_ZONE("availability_zone", "availability_zone", "COALESCE(availability_zone, '')", Kind.TEXT),
    BOOTABLE("bootable", "bootable", "bootable", Kind.BOOLEAN),
    VOLUME_TYPE_ID("volume_type_id", "volume_type_id", "COALESCE(volume_type_id, '')", Kind.TEXT),
    PROJECT_ID("project_id", "project_id", "project_id", Kind.TEXT),
    USER_ID("user_id", "user_id", "COALESCE(user_id, '')", Kind.TEXT),
    HOST("host", "host", "COALESCE(host, '')", Kind.TEXT),
    CREATED_AT("created_at", "created_at", "created_at", Kind.TIMESTAMP),
    UPDATED_AT("updated_at", "updated_at", "COALESCE(updated_at, created_at)", Kind.TIMESTAMP),
    MULTIATTACH("multiattach", "multiattach", "multiattach", Kind.BOOLEAN),
    ATTACH_STATUS("attach_status", "attach_status", "attach_status", Kind.TEXT),
    SNAPSHOT_ID("snapshot_id", "snapshot_id", "COALESCE(snapshot_id, '')", Kind.TEXT),
    SOURCE_VOLID("source_volid", "source_volid", "COALESCE(source_volid, '')", Kind.TEXT),
    SERVICE_UUID("service_uuid", "service_uuid", "COALESCE(service_uuid, '')", Kind.TEXT);

    enum Kind { TEXT, INTEGER, BOOLEAN, TIMESTAMP }

    private static final Map<String, VolumeColumn> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(c -> c.apiName, Function.identity()));

    final String apiName;
    final String column;
    final String sortExpression;
    final Kind kind;

    VolumeColumn(String apiName, String column, String sortExpression, Kind kind) {
        this.apiName = apiName;
        this.column = column;
        this.sortExpression = sortExpression;
        this.kind = kind;
    }

    static VolumeColumn of(String apiName) {
        String key = "display_name".equals(apiName) ? "name" : apiName;
        VolumeColumn column = BY_API_NAME.get(key);
        if (column == null) {
            throw BasaltException.badRequest("Invalid sort or filter key %s; valid keys are %s",
                    apiName, String.join(", ", BY_API_NAME.keySet().stream().sorted().toList()));
        }
        return column;
    }

    /** The value as the column's SQL type, or a 400 naming the field. */
    Object convert(String value) {
        return switch (kind) {
            case TEXT -> value;
            case INTEGER -> {
                try {
                    yield Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw BasaltException.badRequest("Invalid value '%s' for %s: expected an integer", value, apiName);
                }
            }
            case BOOLEAN -> switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes", "y", "on", "t" -> Boolean.TRUE;
                case "false", "0", "no", "n", "off", "f" -> Boolean.FALSE;
                default -> throw BasaltException.badRequest(
                        "Invalid value '%s' for %s: expected true or false", value, apiName);
            };
            case TIMESTAMP -> throw BasaltException.badRequest("%s cannot be used as an equality filter", apiName);
        };
    }
}
