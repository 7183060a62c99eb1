package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The values of one or more configuration files merged option by option (a later file wins),
 * uninterpreted. Section names are normalized as oslo.config does: {@code DEFAULT} stays, any other
 * name is lower-cased.
 */
public final class RawConfig {
    private static final RawConfig EMPTY = new Builder().build();

    private final Map<String, Section> sections;

    private RawConfig(Map<String, Section> sections) {
        this.sections = sections;
    }

    public static RawConfig empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code DEFAULT} as is, any other section name lower-cased. */
    public static String normalize(String section) {
        requireNonNull(section, "section");
        return section.equals(ConfigSource.DEFAULT) ? section : section.toLowerCase(Locale.ROOT);
    }

    /** Normalized names of the sections that appear in any file, in order of appearance. */
    public Set<String> sections() {
        return sections.keySet();
    }

    public Optional<RawValue> get(String section, String key) {
        Section found = sections.get(normalize(section));
        return found == null ? Optional.empty() : Optional.ofNullable(found.values().get(key));
    }

    /** The values of a section by key, empty when the section does not appear. */
    public Map<String, RawValue> values(String section) {
        Section found = sections.get(normalize(section));
        return found == null ? Map.of() : found.values();
    }

    /** The first file in which a section appears. */
    public Optional<String> file(String section) {
        return Optional.ofNullable(sections.get(normalize(section))).map(Section::file);
    }

    private record Section(String file, Map<String, RawValue> values) {}

    /** Collects values file after file; a value put later replaces an earlier one. */
    public static final class Builder {
        private final Map<String, String> files = new LinkedHashMap<>();
        private final Map<String, Map<String, RawValue>> values = new LinkedHashMap<>();

        private Builder() {}

        /** Notes that {@code file} opens {@code section}, so an empty section is still seen. */
        public Builder section(String section, String file) {
            String name = normalize(section);
            files.putIfAbsent(name, requireNonNull(file, "file"));
            values.computeIfAbsent(name, n -> new LinkedHashMap<>());
            return this;
        }

        public Builder put(String section, String key, RawValue value) {
            section(section, value.file());
            values.get(normalize(section)).put(requireNonNull(key, "key"), value);
            return this;
        }

        public RawConfig build() {
            Map<String, Section> built = new LinkedHashMap<>();
            values.forEach((name, entries) -> built.put(name,
                    new Section(files.get(name), Collections.unmodifiableMap(new LinkedHashMap<>(entries)))));
            return new RawConfig(Collections.unmodifiableMap(built));
        }
    }
}
