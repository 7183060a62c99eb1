package dev.basalt.config;

import static java.util.Objects.requireNonNull;

/**
 * A typed, documented configuration option named as in Cinder, e.g.
 * {@code Option.of("osapi_volume_listen_port", OptionType.port(), "8776", "Port the API listens on.")}.
 *
 * @param secret its value is never shown in messages (passwords, connection URLs)
 */
public record Option<T>(String name, OptionType<T> type, OptionDefault defaultValue, String help, boolean secret) {
    public Option {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        requireNonNull(defaultValue, "defaultValue");
        requireNonNull(help, "help");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("bad option name: \"" + name + "\"");
        }
    }

    /** An option whose default is {@code defaultText}, interpolated and parsed like a file value. */
    public static <T> Option<T> of(String name, OptionType<T> type, String defaultText, String help) {
        return new Option<>(name, type, OptionDefault.of(requireNonNull(defaultText, "defaultText")), help, false);
    }

    /** An option whose default is computed for the section being read. */
    public static <T> Option<T> computed(String name, OptionType<T> type, OptionDefault defaultValue, String help) {
        return new Option<>(name, type, defaultValue, help, false);
    }

    /** An option with no default: unset unless a file sets it. */
    public static <T> Option<T> optional(String name, OptionType<T> type, String help) {
        return new Option<>(name, type, OptionDefault.none(), help, false);
    }

    /** This option, with its value kept out of messages. */
    public Option<T> asSecret() {
        return new Option<>(name, type, defaultValue, help, true);
    }
}
