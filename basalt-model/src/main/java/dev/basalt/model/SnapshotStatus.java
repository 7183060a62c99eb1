package dev.basalt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A snapshot's {@code status} as the API shows it (Cinder's full list, so an administrator's
 * {@code os-reset_status} accepts what Cinder accepts). Basalt's own work moves a snapshot through
 * {@code creating → available | error} and {@code deleting → (gone) | error_deleting}.
 */
public enum SnapshotStatus {
    ERROR("error"),
    AVAILABLE("available"),
    CREATING("creating"),
    DELETING("deleting"),
    DELETED("deleted"),
    UPDATING("updating"),
    ERROR_DELETING("error_deleting"),
    UNMANAGING("unmanaging"),
    BACKING_UP("backing-up"),
    RESTORING("restoring");

    private static final Map<String, SnapshotStatus> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(SnapshotStatus::apiName, Function.identity()));

    private final String apiName;

    SnapshotStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The status named {@code name} (any case), if there is one. */
    public static Optional<SnapshotStatus> fromApiName(String name) {
        return Optional.ofNullable(name == null ? null : BY_API_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
