package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One of an enum's constants, written as its lower-case name (case-sensitive, as in oslo.config). */
record ChoiceType<E extends Enum<E>>(Class<E> type) implements OptionType<E> {
    ChoiceType {
        requireNonNull(type, "type");
    }

    @Override
    public E parse(String text) {
        for (E constant : type.getEnumConstants()) {
            if (name(constant).equals(text.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("not one of: " + description());
    }

    @Override
    public String description() {
        return Arrays.stream(type.getEnumConstants()).map(ChoiceType::name).collect(Collectors.joining(", "));
    }

    /** How a constant is written in a configuration file. */
    static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
