package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The configuration cannot be used: Basalt refuses to start. Each problem names the file, the
 * section and the option, and says what was expected.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String problem) {
        this(List.of(problem), null);
    }

    public ConfigException(String problem, Throwable cause) {
        this(List.of(problem), cause);
    }

    public ConfigException(List<String> problems) {
        this(problems, null);
    }

    private ConfigException(List<String> problems, Throwable cause) {
        super(message(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.get(0);
        }
        return problems.size() + " problems in the configuration:\n  " + String.join("\n  ", problems);
    }
}
