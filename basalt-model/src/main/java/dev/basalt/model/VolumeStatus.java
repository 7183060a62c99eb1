package dev.basalt.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A volume's {@code status} as the API shows it. */
public enum VolumeStatus {
    CREATING("creating"),
    AVAILABLE("available"),
    RESERVED("reserved"),
    ATTACHING("attaching"),
    DETACHING("detaching"),
    IN_USE("in-use"),
    MAINTENANCE("maintenance"),
    DELETING("deleting"),
    AWAITING_TRANSFER("awaiting-transfer"),
    ERROR("error"),
    ERROR_DELETING("error_deleting"),
    BACKING_UP("backing-up"),
    RESTORING_BACKUP("restoring-backup"),
    ERROR_BACKING_UP("error_backing-up"),
    ERROR_RESTORING("error_restoring"),
    ERROR_EXTENDING("error_extending"),
    EXTENDING("extending"),
    REVERTING("reverting"),
    DOWNLOADING("downloading"),
    UPLOADING("uploading"),
    RETYPING("retyping"),
    MANAGING("managing"),
    ERROR_MANAGING("error_managing"),
    UNMANAGING("unmanaging"),
    ERROR_UNMANAGING("error_unmanaging");

    private static final Map<String, VolumeStatus> BY_API_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(VolumeStatus::apiName, Function.identity()));

    private final String apiName;

    VolumeStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<VolumeStatus> fromApiName(String name) {
        return Optional.ofNullable(name == null ? null : BY_API_NAME.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
