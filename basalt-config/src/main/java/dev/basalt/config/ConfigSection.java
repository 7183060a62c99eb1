package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One section of the configuration, read through typed {@link Option}s. Errors name the file, the
 * section and the option: {@code /etc/basalt/cinder.conf: [DEFAULT] osapi_volume_listen_port = "abc": not an integer}.
 */
public final class ConfigSection {
    private static final String DEFAULT_ORIGIN = "built-in default";

    private final ConfigSource source;
    private final String name;
    private final List<String> chain;

    ConfigSection(ConfigSource source, String name, List<String> chain) {
        this.source = requireNonNull(source, "source");
        this.name = requireNonNull(name, "name");
        this.chain = List.copyOf(chain);
    }

    /** The section's name, as asked for. */
    public String name() {
        return name;
    }

    /**
     * The option's value, or its default.
     *
     * @throws ConfigException if the value is malformed, or if it is unset and has no default
     */
    public <T> T get(Option<T> option) {
        return find(option).orElseThrow(() -> new ConfigException(
                "[" + name + "] " + option.name() + ": not set, and the option has no default"));
    }

    /**
     * The option's value, its default, or empty when it is unset and has no default.
     *
     * @throws ConfigException if the value is malformed
     */
    public <T> Optional<T> find(Option<T> option) {
        Optional<Found> found = lookup(option.name());
        String text = found.map(f -> f.value().text()).orElseGet(() -> option.defaultValue().text(name));
        if (text == null) {
            return Optional.empty();
        }
        String expanded = null;
        try {
            expanded = source.expand(text, name, List.of("[" + RawConfig.normalize(name) + "] " + option.name()));
            return Optional.of(option.type().parse(expanded));
        } catch (IllegalArgumentException e) {
            String origin = found.map(f -> f.value().file() + ": [" + f.section() + "]")
                    .orElse(DEFAULT_ORIGIN + ": [" + name + "]");
            throw new ConfigException(origin + " " + option.name() + " = " + show(option, text, expanded)
                    + ": " + problem(option, e), option.secret() ? null : e);
        }
    }

    /** The interpolated text of {@code key} as set in a file (no default). */
    public Optional<String> text(String key) {
        return lookup(key).map(found -> {
            String text = found.value().text();
            try {
                return source.expand(text, name, List.of("[" + RawConfig.normalize(name) + "] " + key));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(found.value().file() + ": [" + found.section() + "] " + key
                        + " = \"" + text + "\": " + e.getMessage(), e);
            }
        });
    }

    /** Whether a file sets {@code key} here (or, for a backend, in [backend_defaults]). */
    public boolean isSet(String key) {
        return lookup(key).isPresent();
    }

    /** The raw value of {@code key} and the section it was found in. */
    Optional<Found> lookup(String key) {
        for (String section : chain) {
            Optional<RawValue> value = source.raw().get(section, key);
            if (value.isPresent()) {
                return Optional.of(new Found(section, value.get()));
            }
        }
        return Optional.empty();
    }

    private static String show(Option<?> option, String text, String expanded) {
        if (option.secret()) {
            return "(secret)";
        }
        String shown = "\"" + text + "\"";
        return expanded == null || expanded.equals(text) ? shown : shown + " (expands to \"" + expanded + "\")";
    }

    /** The problem; for a secret option, without the quoted pieces of its value. */
    private static String problem(Option<?> option, IllegalArgumentException e) {
        String problem = e.getMessage() == null ? "invalid value" : e.getMessage();
        return option.secret() ? problem.replaceAll("\"[^\"]*\"", "\"****\"") : problem;
    }

    record Found(String section, RawValue value) {}

    @Override
    public String toString() {
        return "ConfigSection[" + name + "]";
    }
}
