package dev.basalt.driver;

import java.nio.file.Path;

/**
 * What a driver option's value is. The configuration parses and checks values of these kinds (a bad
 * one refuses to start, naming the file, the section and the option); a driver only declares them.
 *
 * @param <T> the type of the value the driver reads
 */
public sealed interface OptionKind<T> {

    /** The type of the value, as the driver reads it. */
    Class<T> valueType();

    /** true/false, yes/no, on/off, 1/0. */
    record Bool() implements OptionKind<Boolean> {
        @Override
        public Class<Boolean> valueType() {
            return Boolean.class;
        }
    }

    /** An integer between {@code min} and {@code max}, both included. */
    record Whole(int min, int max) implements OptionKind<Integer> {
        public Whole {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        @Override
        public Class<Integer> valueType() {
            return Integer.class;
        }
    }

    /** A decimal number between {@code min} and {@code max}, both included. */
    record Decimal(double min, double max) implements OptionKind<Double> {
        public Decimal {
            if (!(min <= max)) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        @Override
        public Class<Double> valueType() {
            return Double.class;
        }
    }

    /**
     * Text matching {@code regex} in full.
     *
     * @param expected what the text should be, for the message about a value that does not match
     */
    record Text(String regex, String expected) implements OptionKind<String> {
        @Override
        public Class<String> valueType() {
            return String.class;
        }
    }

    /** A file system path. */
    record FilePath() implements OptionKind<Path> {
        @Override
        public Class<Path> valueType() {
            return Path.class;
        }
    }

    static OptionKind<Boolean> bool() {
        return new Bool();
    }

    static OptionKind<Integer> integer(int min, int max) {
        return new Whole(min, max);
    }

    static OptionKind<Integer> atLeast(int min) {
        return new Whole(min, Integer.MAX_VALUE);
    }

    static OptionKind<Double> decimal(double min, double max) {
        return new Decimal(min, max);
    }

    /** Any text that is not empty. */
    static OptionKind<String> text() {
        return new Text(".+", "a non-empty text");
    }

    static OptionKind<String> matching(String regex, String expected) {
        return new Text(regex, expected);
    }

    static OptionKind<Path> path() {
        return new FilePath();
    }
}
