package dev.basalt.driver;

import static java.util.Objects.requireNonNull;

/**
 * An option a driver reads from its backend's section (falling back to {@code [backend_defaults]}),
 * named as in Cinder where Cinder has it: typed, documented, with a default. A driver declares its
 * options in {@link VolumeDriverProvider#options()}; the configuration checks every value set in a
 * file before anything starts and hands the driver the values in its {@link DriverContext}.
 *
 * @param defaultText the default for a section, as text read like a value from a file: interpolated
 *     ({@code $state_path} refers to that option; {@code $$} is a literal {@code $}) and then parsed
 *     as {@code kind}
 * @param <T> the type of the value
 */
public record DriverOption<T>(String name, OptionKind<T> kind, DefaultText defaultText, String help) {

    /** The default text of an option in a given section; {@code null}: no default. */
    @FunctionalInterface
    public interface DefaultText {
        String forSection(String section);
    }

    public DriverOption {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(defaultText, "defaultText");
        requireNonNull(help, "help");
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad option name: \"" + name + "\"");
        }
        if (help.isBlank()) {
            throw new IllegalArgumentException("option " + name + " has no help");
        }
    }

    /** An option whose default is the same {@code defaultText} in every section. */
    public static <T> DriverOption<T> of(String name, OptionKind<T> kind, String defaultText, String help) {
        requireNonNull(defaultText, "defaultText");
        return new DriverOption<>(name, kind, section -> defaultText, help);
    }

    /** An option whose default depends on the section, e.g. a directory named after it. */
    public static <T> DriverOption<T> computed(String name, OptionKind<T> kind, DefaultText defaultText, String help) {
        return new DriverOption<>(name, kind, defaultText, help);
    }

    /** An option with no default: unset unless a file sets it. */
    public static <T> DriverOption<T> optional(String name, OptionKind<T> kind, String help) {
        return new DriverOption<>(name, kind, section -> null, help);
    }

    /** {@code text} to be taken literally within a default text: each {@code $} doubled. */
    public static String literal(String text) {
        return text.replace("$", "$$");
    }
}
