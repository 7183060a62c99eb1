package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns an option's text (after interpolation) into a typed value.
 *
 * @param <T> the type of the value
 */
public interface OptionType<T> {

    /**
     * @throws IllegalArgumentException whose message says what was expected, e.g.
     *     {@code not an integer}
     */
    T parse(String text);

    /** What the type accepts, for help text: {@code integer, 1 to 65535}. */
    String description();

    /** This type, its value then converted by {@code convert} (which may throw IllegalArgumentException). */
    default <R> OptionType<R> map(Function<? super T, ? extends R> convert) {
        requireNonNull(convert, "convert");
        return of(description(), text -> convert.apply(parse(text)));
    }

    /** A type from a parser function. */
    static <T> OptionType<T> of(String description, Function<String, ? extends T> parser) {
        return new FunctionType<>(description, parser);
    }

    /** Any text, as written. */
    static OptionType<String> string() {
        return StringType.ANY;
    }

    /** Text matching {@code regex} in full; {@code expected} says what it should be. */
    static OptionType<String> matching(String regex, String expected) {
        return new StringType(Pattern.compile(regex), expected);
    }

    /** An integer between {@code min} and {@code max}, both included. */
    static OptionType<Integer> integer(int min, int max) {
        return new IntegerType(min, max);
    }

    /** An integer at least {@code min}. */
    static OptionType<Integer> atLeast(int min) {
        return new IntegerType(min, Integer.MAX_VALUE);
    }

    /** A TCP port, 1 to 65535. */
    static OptionType<Integer> port() {
        return new IntegerType(1, 65535);
    }

    /** A whole number of seconds, at least {@code min}. */
    static OptionType<Duration> seconds(int min) {
        return of("integer seconds, at least " + min,
                text -> Duration.ofSeconds(new IntegerType(min, Integer.MAX_VALUE).parse(text)));
    }

    /** A decimal number between {@code min} and {@code max}, both included. */
    static OptionType<Double> floating(double min, double max) {
        return new FloatType(min, max);
    }

    /** Any finite decimal number. */
    static OptionType<Double> floating() {
        return new FloatType(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** true/false, yes/no, on/off, 1/0, in any case. */
    static OptionType<Boolean> bool() {
        return BoolType.INSTANCE;
    }

    /** Comma-separated text items, trimmed, empty items dropped. */
    static OptionType<List<String>> list() {
        return new ListType<>(string(), false);
    }

    /** Comma-separated items of {@code item}, trimmed, empty items dropped. */
    static <E> OptionType<List<E>> list(OptionType<E> item) {
        return new ListType<>(item, false);
    }

    /** Like {@link #list(OptionType)}, and an item may appear only once. */
    static <E> OptionType<List<E>> distinctList(OptionType<E> item) {
        return new ListType<>(item, true);
    }

    /** One of the constants of {@code type}, written as its lower-case name. */
    static <E extends Enum<E>> OptionType<E> choices(Class<E> type) {
        return new ChoiceType<>(type);
    }

    /** A file system path. */
    static OptionType<Path> path() {
        return of("path", text -> {
            try {
                return Path.of(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a valid path");
            }
        });
    }
}
