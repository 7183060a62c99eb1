package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** Text, optionally required to match a pattern. */
record StringType(Pattern pattern, String expected) implements OptionType<String> {
    static final StringType ANY = new StringType(Pattern.compile("(?s).*"), "string");

    StringType {
        requireNonNull(pattern, "pattern");
        requireNonNull(expected, "expected");
    }

    @Override
    public String parse(String text) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("not " + expected);
        }
        return text;
    }

    @Override
    public String description() {
        return expected;
    }
}
