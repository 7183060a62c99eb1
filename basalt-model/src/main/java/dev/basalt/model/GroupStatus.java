package dev.basalt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A generic volume group's {@code status}: Cinder's full list ({@code GroupStatus} of its objects).
 * Basalt places a group before writing it, {@code available} (or {@code error} when no pool fits);
 * a delete moves it {@code deleting → deleted}; an administrator may reset it to any status.
 */
public enum GroupStatus {
    ERROR("error"),
    AVAILABLE("available"),
    CREATING("creating"),
    DELETING("deleting"),
    DELETED("deleted"),
    UPDATING("updating"),
    IN_USE("in-use"),
    ERROR_DELETING("error_deleting");

    private static final Map<String, GroupStatus> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(GroupStatus::apiName, Function.identity()));

    private final String apiName;

    GroupStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The status named {@code name} (any case), if there is one. */
    public static Optional<GroupStatus> fromApiName(String name) {
        return Optional.ofNullable(name == null ? null : BY_API_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
