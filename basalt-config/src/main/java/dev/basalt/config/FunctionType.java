package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/** An {@link OptionType} made of a parser function. */
record FunctionType<T>(String description, Function<String, ? extends T> parser) implements OptionType<T> {
    FunctionType {
        requireNonNull(description, "description");
        requireNonNull(parser, "parser");
    }

    @Override
    public T parse(String text) {
        return parser.apply(text);
    }
}
