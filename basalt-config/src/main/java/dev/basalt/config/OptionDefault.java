package dev.basalt.config;

/**
 * An option's default, as text that is interpolated and parsed like a value from a file, so
 * {@code "$state_path/volumes"} works as a default. It may depend on the section being read.
 */
@FunctionalInterface
public interface OptionDefault {

    /** The default text for {@code section}, or {@code null} when the option has no default. */
    String text(String section);

    /** The same text for every section. */
    static OptionDefault of(String text) {
        return section -> text;
    }

    /** No default: the option is unset unless a file sets it. */
    static OptionDefault none() {
        return section -> null;
    }

    /** Doubles each {@code $} so that computed text (a home directory, a host name) is taken literally. */
    static String escape(String literal) {
        return literal.replace("$", "$$");
    }
}
