package dev.basalt.config;

import java.util.function.UnaryOperator;

/**
 * Expands oslo.config references in a value: {@code $name} and {@code ${name}} (an option),
 * {@code ${section.name}} (an option of another section) and {@code $$} (a literal {@code $}).
 * Any other {@code $} is an error, as in oslo.config.
 */
final class Interpolator {
    private Interpolator() {}

    /**
     * @param lookup gives the expanded value of a reference ({@code name} or {@code section.name})
     * @throws IllegalArgumentException for a malformed reference, or whatever {@code lookup} throws
     */
    static String expand(String text, UnaryOperator<String> lookup) {
        int dollar = text.indexOf('$');
        if (dollar < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (dollar >= 0) {
            out.append(text, i, dollar);
            i = reference(text, dollar, lookup, out);
            dollar = text.indexOf('$', i);
        }
        return out.append(text, i, text.length()).toString();
    }

    /** Appends the expansion of the reference at {@code dollar}; returns the index after it. */
    private static int reference(String text, int dollar, UnaryOperator<String> lookup, StringBuilder out) {
        int next = dollar + 1;
        if (next < text.length() && text.charAt(next) == '$') {
            out.append('$');
            return next + 1;
        }
        if (next < text.length() && text.charAt(next) == '{') {
            int close = text.indexOf('}', next);
            String name = close < 0 ? "" : text.substring(next + 1, close);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw invalid(text, dollar);
            }
            out.append(lookup.apply(name));
            return close + 1;
        }
        int end = next;
        while (end < text.length() && isNameChar(text.charAt(end), end == next)) {
            end++;
        }
        if (end == next) {
            throw invalid(text, dollar);
        }
        out.append(lookup.apply(text.substring(next, end)));
        return end;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static IllegalArgumentException invalid(String text, int dollar) {
        return new IllegalArgumentException("invalid reference at \"" + text.substring(dollar)
                + "\": write $name or ${name} to use an option, $$ for a literal $");
    }
}
