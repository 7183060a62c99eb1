package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options known in one section ({@code [DEFAULT]}, {@code [database]}, …). Options register
 * themselves as constants: {@code static final Option<Integer> X = GROUP.add(Option.of(…));}.
 * The group of {@code [backend_defaults]} is also the group of every backend section.
 */
public final class OptionGroup {
    private final String section;
    private final String help;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();

    public OptionGroup(String section, String help) {
        this.section = RawConfig.normalize(section);
        this.help = requireNonNull(help, "help");
    }

    /** Registers {@code option} and returns it. */
    public synchronized <T> Option<T> add(Option<T> option) {
        if (options.putIfAbsent(option.name(), option) != null) {
            throw new IllegalStateException("option " + option.name() + " is already in [" + section + "]");
        }
        return option;
    }

    /** A new group of the same section with this group's options and then {@code more}. */
    public synchronized OptionGroup with(List<Option<?>> more) {
        OptionGroup group = new OptionGroup(section, help);
        options.values().forEach(group::add);
        more.forEach(group::add);
        return group;
    }

    public synchronized Optional<Option<?>> find(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public synchronized List<Option<?>> options() {
        return List.copyOf(options.values());
    }

    /** The normalized name of the section. */
    public String section() {
        return section;
    }

    public String help() {
        return help;
    }

    @Override
    public String toString() {
        return "OptionGroup[" + section + "]";
    }
}
