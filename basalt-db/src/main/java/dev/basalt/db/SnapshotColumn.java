package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The snapshot fields a query may filter or sort by: API name, SQL column, and value type. */
enum SnapshotColumn {
    ID("id", "id", "id", VolumeColumn.Kind.TEXT),
    NAME("name", "display_name", "COALESCE(display_name, '')", VolumeColumn.Kind.TEXT),
    DESCRIPTION("description", "display_description", "COALESCE(display_description, '')", VolumeColumn.Kind.TEXT),
    STATUS("status", "status", "status", VolumeColumn.Kind.TEXT),
    VOLUME_ID("volume_id", "volume_id", "volume_id", VolumeColumn.Kind.TEXT),
    PROJECT_ID("project_id", "project_id", "project_id", VolumeColumn.Kind.TEXT),
    USER_ID("user_id", "user_id", "COALESCE(user_id, '')", VolumeColumn.Kind.TEXT),
    PROGRESS("progress", "progress", "COALESCE(progress, '')", VolumeColumn.Kind.TEXT),
    VOLUME_SIZE("volume_size", "volume_size", "volume_size", VolumeColumn.Kind.INTEGER),
    VOLUME_TYPE_ID("volume_type_id", "volume_type_id", "COALESCE(volume_type_id, '')", VolumeColumn.Kind.TEXT),
    CREATED_AT("created_at", "created_at", "created_at", VolumeColumn.Kind.TIMESTAMP),
    UPDATED_AT("updated_at", "updated_at", "COALESCE(updated_at, created_at)", VolumeColumn.Kind.TIMESTAMP);

    private static final Map<String, SnapshotColumn> BY_API_NAME = byApiName();

    final String apiName;
    final String column;
    final String sortExpression;
    final VolumeColumn.Kind kind;

    SnapshotColumn(String apiName, String column, String sortExpression, VolumeColumn.Kind kind) {
        this.apiName = apiName;
        this.column = column;
        this.sortExpression = sortExpression;
        this.kind = kind;
    }

    private static Map<String, SnapshotColumn> byApiName() {
        Map<String, SnapshotColumn> names = new HashMap<>(Arrays.stream(values())
                .collect(Collectors.toMap(c -> c.apiName, Function.identity())));
        names.put("display_name", NAME);
        names.put("display_description", DESCRIPTION);
        names.put("size", VOLUME_SIZE);
        return Map.copyOf(names);
    }

    static SnapshotColumn of(String apiName) {
        SnapshotColumn column = BY_API_NAME.get(apiName);
        if (column == null) {
            throw BasaltException.badRequest("Invalid sort or filter key %s; valid keys are %s", apiName,
                    String.join(", ", Arrays.stream(values()).map(c -> c.apiName).sorted().toList()));
        }
        return column;
    }

    /** Whether {@code apiName} names a snapshot field. */
    static boolean exists(String apiName) {
        return BY_API_NAME.containsKey(apiName);
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
            case BOOLEAN -> throw new IllegalStateException("no boolean snapshot column");
            case TIMESTAMP -> throw BasaltException.badRequest("%s cannot be used as an equality filter", apiName);
        };
    }
}
