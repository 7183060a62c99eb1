package dev.basalt.api.validation;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import dev.basalt.common.Ids;
import dev.basalt.model.GroupSnapshotStatus;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The string formats Cinder's request schemas use, and how each explains a value it rejects.
 * A format checks strings only; other types pass it untouched.
 */
final class CinderFormats {
    static final long DB_MAX_INT = 2147483647L;
    private static final Set<String> LOG_LEVELS = Set.of("INFO", "WARNING", "ERROR", "DEBUG");
    private static final List<String> ATTACH_STATUSES = List.of("attached", "detached");
    private static final List<String> MIGRATION_STATUSES = List.of("migrating", "error", "success", "completing",
            "none", "starting");

    private record Named(String name, String explanation, Predicate<String> accepts) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            return accepts.test(value);
        }
    }

    /** Cinder's volume statuses (not {@code unmanaging} and {@code error_unmanaging}, which it keeps apart). */
    private static final VolumeStatus[] RESETTABLE_VOLUME_STATUSES = java.util.Arrays.stream(VolumeStatus.values())
            .filter(s -> s != VolumeStatus.UNMANAGING && s != VolumeStatus.ERROR_UNMANAGING)
            .toArray(VolumeStatus[]::new);

    private static final List<Named> ALL = List.of(
            new Named("cinder-uuid", "is not a valid UUID", Ids::isUuidLike),
            new Named("cinder-volume-size", "is not an integer between 1 and " + DB_MAX_INT, CinderFormats::isVolumeSize),
            new Named("cinder-name", "can not be empty", v -> !v.strip().isEmpty()),
            new Named("cinder-trimmed-255", "is longer than 255 characters", v -> v.strip().length() <= 255),
            new Named("cinder-disabled-reason", "must be 1 to 255 characters long without surrounding white space",
                    CinderFormats::isStripped255),
            new Named("cinder-stripped-name", "can not be empty or longer than 255 characters (surrounding white space"
                    + " does not count)", CinderFormats::isStripped255),
            new Named("cinder-printable", "contains characters that are not printable", CinderFormats::isPrintable),
            new Named("cinder-log-level", "is not a valid log level (INFO, WARNING, ERROR or DEBUG)",
                    v -> LOG_LEVELS.contains(v.toUpperCase(Locale.ROOT))),
            new Named("cinder-volume-status", "is not a valid volume status; valid statuses are: "
                    + names(RESETTABLE_VOLUME_STATUSES),
                    v -> v.isEmpty() || VolumeStatus.fromApiName(v).filter(s -> s != VolumeStatus.UNMANAGING
                            && s != VolumeStatus.ERROR_UNMANAGING).isPresent()),
            new Named("cinder-volume-attach-status", "is not a valid volume attach status; valid statuses are: "
                    + String.join(", ", ATTACH_STATUSES),
                    v -> v.isEmpty() || ATTACH_STATUSES.contains(v.toLowerCase(Locale.ROOT))),
            new Named("cinder-volume-migration-status", "is not a valid volume migration status; valid statuses are: "
                    + String.join(", ", MIGRATION_STATUSES),
                    v -> v.isEmpty() || MIGRATION_STATUSES.contains(v.toLowerCase(Locale.ROOT))),
            new Named("cinder-snapshot-status", "is not a valid snapshot status; valid statuses are: "
                    + names(SnapshotStatus.values()),
                    v -> SnapshotStatus.fromApiName(v).isPresent()),
            // As Cinder's check: against the group snapshot statuses (all group statuses but in-use).
            new Named("cinder-group-status", "is not a valid group status; valid statuses are: "
                    + names(GroupStatus.values()),
                    v -> GroupStatus.fromApiName(v).filter(s -> s != GroupStatus.IN_USE).isPresent()),
            new Named("cinder-group-snapshot-status", "is not a valid group snapshot status; valid statuses are: "
                    + names(GroupSnapshotStatus.values(), GroupSnapshotStatus::apiName),
                    v -> GroupSnapshotStatus.fromApiName(v).isPresent()),
            new Named("cinder-backup-status", "is not a valid backup status; valid statuses are: available, error",
                    v -> v.equalsIgnoreCase("available") || v.equalsIgnoreCase("error")),
            new Named("cinder-key-size", "is not an integer between 0 and " + DB_MAX_INT
                    + " (key_size must be an integer)", CinderFormats::isKeySize),
            new Named("cinder-progress", "is not an integer percentage between 0 and 100 (such as 50%)",
                    CinderFormats::isProgress));

    private static final Map<String, String> EXPLANATIONS = Map.copyOf(
            ALL.stream().collect(java.util.stream.Collectors.toMap(Named::name, Named::explanation)));

    private CinderFormats() {
    }

    static List<? extends Format> all() {
        return ALL;
    }

    static String explain(String formatName) {
        return EXPLANATIONS.getOrDefault(formatName, "does not match the format " + formatName);
    }

    private static String names(VolumeStatus[] statuses) {
        return names(statuses, VolumeStatus::apiName);
    }

    private static String names(SnapshotStatus[] statuses) {
        return names(statuses, SnapshotStatus::apiName);
    }

    private static String names(GroupStatus[] statuses) {
        return names(statuses, GroupStatus::apiName);
    }

    private static <T> String names(T[] statuses, java.util.function.Function<T, String> apiName) {
        return String.join(", ", java.util.Arrays.stream(statuses).map(apiName).toList());
    }

    /** Cinder's progress: empty, or an integer 0 to 100 followed by {@code %}. */
    private static boolean isProgress(String value) {
        if (value.isEmpty()) {
            return true;
        }
        if (!value.endsWith("%") || value.length() > 4) {
            return false;
        }
        try {
            int percent = Integer.parseInt(value.substring(0, value.length() - 1));
            return percent >= 0 && percent <= 100;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Cinder's key_size given as a string: an integer as Python writes it, within its minimum and maximum. */
    private static boolean isKeySize(String value) {
        if (!value.matches("0|-?[1-9][0-9]{0,11}")) {
            return false;
        }
        long n = Long.parseLong(value);
        return n >= 0 && n <= DB_MAX_INT;
    }

    private static boolean isVolumeSize(String value) {
        if (value.isEmpty() || value.length() > 12) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i)) || value.charAt(i) > '9') {
                return false;
            }
        }
        long n = Long.parseLong(value);
        return n >= 1 && n <= DB_MAX_INT;
    }

    /** Letters, marks, numbers, punctuation, symbols and spaces; no control or other separators. */
    private static boolean isPrintable(String value) {
        return value.codePoints().allMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        });
    }

    /** 1 to 255 characters once surrounding white space is removed. */
    private static boolean isStripped255(String value) {
        String stripped = value.strip();
        return !stripped.isEmpty() && stripped.length() <= 255;
    }
}
