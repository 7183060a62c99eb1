package dev.basalt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A backup's {@code status} as the API shows it: Cinder's full list ({@code BackupStatus} of its
 * objects). A backup moves through {@code creating → available | error},
 * {@code available → restoring → available} (a failed restore leaves the backup {@code available}
 * and its volume {@code error_restoring}) and {@code deleting → (gone) | error_deleting}.
 */
public enum BackupStatus {
    ERROR("error"),
    ERROR_DELETING("error_deleting"),
    CREATING("creating"),
    AVAILABLE("available"),
    DELETING("deleting"),
    DELETED("deleted"),
    RESTORING("restoring");

    private static final Map<String, BackupStatus> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(BackupStatus::apiName, Function.identity()));

    private final String apiName;

    BackupStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The status named {@code name} (any case), if there is one. */
    public static Optional<BackupStatus> fromApiName(String name) {
        return Optional.ofNullable(name == null ? null : BY_API_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
