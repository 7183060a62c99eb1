package dev.basalt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks over everything the files set: known options must parse (errors), unknown options and
 * sections are ignored with a warning.
 */
final class ConfigCheck {
    private ConfigCheck() {}

    /** One message per malformed value of a known option. */
    static List<String> errors(ConfigSource source) {
        List<String> errors = new ArrayList<>();
        for (String section : source.raw().sections()) {
            source.group(section).ifPresent(group -> {
                for (String key : source.raw().values(section).keySet()) {
                    group.find(key).ifPresent(option -> {
                        try {
                            source.section(section).find(option);
                        } catch (ConfigException e) {
                            errors.addAll(e.problems());
                        }
                    });
                }
            });
        }
        return errors;
    }

    /** One message per unknown section and per unknown option in a known section. */
    static List<String> warnings(ConfigSource source) {
        List<String> warnings = new ArrayList<>();
        for (String section : source.raw().sections()) {
            Optional<OptionGroup> group = source.group(section);
            if (group.isEmpty()) {
                warnings.add(source.raw().file(section).orElse("?") + ": [" + section
                        + "]: unknown section (not a backend named in enabled_backends), ignored");
                continue;
            }
            for (Map.Entry<String, RawValue> entry : source.raw().values(section).entrySet()) {
                String key = entry.getKey();
                if (group.get().find(key).isEmpty()) {
                    warnings.add(entry.getValue().file() + ": [" + section + "] " + key
                            + ": unknown option, ignored" + hint(source, group.get(), key));
                }
            }
        }
        return warnings;
    }

    private static String hint(ConfigSource source, OptionGroup here, String key) {
        for (OptionGroup other : source.groups()) {
            if (other != here && other.find(key).isPresent()) {
                return other.section().equals(ConfigSource.BACKEND_DEFAULTS)
                        ? " (it belongs in a backend section or [backend_defaults])"
                        : " (it belongs in [" + other.section() + "])";
            }
        }
        return "";
    }
}
