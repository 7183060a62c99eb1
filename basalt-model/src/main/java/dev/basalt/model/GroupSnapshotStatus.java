package dev.basalt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A group snapshot's {@code status}: Cinder's full list ({@code GroupSnapshotStatus} of its objects),
 * so an administrator's {@code reset_status} accepts what Cinder accepts. Basalt's own work moves a
 * group snapshot {@code creating → available | error} and {@code deleting → (gone) | error}.
 */
public enum GroupSnapshotStatus {
    ERROR("error"),
    AVAILABLE("available"),
    CREATING("creating"),
    DELETING("deleting"),
    DELETED("deleted"),
    UPDATING("updating"),
    ERROR_DELETING("error_deleting");

    private static final Map<String, GroupSnapshotStatus> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(GroupSnapshotStatus::apiName, Function.identity()));

    private final String apiName;

    GroupSnapshotStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The status named {@code name} (any case), if there is one. */
    public static Optional<GroupSnapshotStatus> fromApiName(String name) {
        return Optional.ofNullable(name == null ? null : BY_API_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
