package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of any option in any section, with oslo.config interpolation and Cinder's fallback
 * of backend sections to {@code [backend_defaults]}. Later modules read their own options here:
 * {@code source.section("keystone_authtoken").get(KeystoneOptions.AUTH_URL)}.
 */
public final class ConfigSource {
    public static final String DEFAULT = "DEFAULT";
    public static final String BACKEND_DEFAULTS = "backend_defaults";

    private final RawConfig raw;
    private final Map<String, OptionGroup> groups = new LinkedHashMap<>();
    private final List<String> backends;
    private final Set<String> backendSections = new LinkedHashSet<>();

    /**
     * @param groups the known sections and their options
     * @param backends the backend names of {@code enabled_backends}: their sections fall back to
     *     {@code [backend_defaults]} and use its option group
     */
    public ConfigSource(RawConfig raw, Collection<OptionGroup> groups, List<String> backends) {
        this.raw = requireNonNull(raw, "raw");
        groups.forEach(group -> this.groups.put(group.section(), group));
        this.backends = List.copyOf(backends);
        this.backends.forEach(name -> backendSections.add(RawConfig.normalize(name)));
    }

    /** The section {@code name}; for a backend, values missing there are read from [backend_defaults]. */
    public ConfigSection section(String name) {
        String normalized = RawConfig.normalize(name);
        List<String> chain = backendSections.contains(normalized)
                ? List.of(normalized, BACKEND_DEFAULTS) : List.of(normalized);
        return new ConfigSection(this, name, chain);
    }

    /** The {@code [DEFAULT]} section. */
    public ConfigSection defaults() {
        return section(DEFAULT);
    }

    /** The value of {@code option} in {@code section}, or its default. */
    public <T> T get(String section, Option<T> option) {
        return section(section).get(option);
    }

    /** The interpolated text of {@code key} in {@code section} as set in a file, with no default. */
    public Optional<String> get(String section, String key) {
        return section(section).text(key);
    }

    /** The backend names, as in {@code enabled_backends}. */
    public List<String> backends() {
        return backends;
    }

    public boolean isBackend(String section) {
        return backendSections.contains(RawConfig.normalize(section));
    }

    /** The options known in {@code section}: its own group, or the backend group for a backend. */
    public Optional<OptionGroup> group(String section) {
        String normalized = RawConfig.normalize(section);
        OptionGroup group = groups.get(normalized);
        if (group == null && backendSections.contains(normalized)) {
            group = groups.get(BACKEND_DEFAULTS);
        }
        return Optional.ofNullable(group);
    }

    public Collection<OptionGroup> groups() {
        return List.copyOf(groups.values());
    }

    public RawConfig raw() {
        return raw;
    }

    /** Expands the references in {@code text} read in {@code section}; {@code stack} holds the options being expanded. */
    String expand(String text, String section, List<String> stack) {
        return Interpolator.expand(text, reference -> resolve(section, reference, stack));
    }

    /**
     * As in oslo.config: {@code section.name} reads that section; {@code name} reads the current
     * section when its group knows the option, otherwise [DEFAULT].
     */
    private String resolve(String section, String reference, List<String> stack) {
        int dot = reference.indexOf('.');
        String target;
        String key;
        if (dot >= 0) {
            target = reference.substring(0, dot);
            key = reference.substring(dot + 1);
        } else {
            key = reference;
            target = group(section).flatMap(g -> g.find(key)).isPresent() ? section : DEFAULT;
        }
        String id = "[" + RawConfig.normalize(target) + "] " + key;
        if (stack.contains(id)) {
            throw new IllegalArgumentException("interpolation loop: " + String.join(" -> ", stack) + " -> " + id);
        }
        ConfigSection from = section(target);
        String text = from.lookup(key).map(found -> found.value().text())
                .or(() -> group(target).flatMap(g -> g.find(key))
                        .map(option -> Optional.ofNullable(option.defaultValue().text(target)).orElse("")))
                .orElseThrow(() -> new IllegalArgumentException(
                        "\"$" + reference + "\" refers to no option set in [" + RawConfig.normalize(target) + "]"));
        List<String> deeper = new ArrayList<>(stack);
        deeper.add(id);
        return expand(text, target, deeper);
    }
}
