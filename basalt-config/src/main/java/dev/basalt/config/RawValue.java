package dev.basalt.config;

import static java.util.Objects.requireNonNull;

/** A value as written in a configuration file, before interpolation, with where it came from. */
public record RawValue(String text, String file, int line) {
    public RawValue {
        requireNonNull(text, "text");
        requireNonNull(file, "file");
    }
}
