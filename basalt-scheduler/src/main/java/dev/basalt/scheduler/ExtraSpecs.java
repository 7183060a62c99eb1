package dev.basalt.scheduler;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Matches one capability value against one extra-spec requirement, with the operators of Cinder's
 * (and Nova's) {@code extra_specs_ops}. A requirement is words separated by white space; when the
 * first word is an operator, the rest are its operands:
 * <ul>
 *   <li>{@code <is> True}: both sides read as booleans (1, t, true, on, y, yes are true; anything else false);</li>
 *   <li>{@code <in> x}: the value contains {@code x} (a substring);</li>
 *   <li>{@code <all-in> x y}: the value (a list, or text) contains every one of {@code x y};</li>
 *   <li>{@code <or> a <or> b}: the value is one of {@code a}, {@code b};</li>
 *   <li>{@code = n}: the value is a number at least {@code n}; {@code == != >= <=}: numeric comparisons;</li>
 *   <li>{@code s== s!= s< s<= s> s>=}: comparisons of text;</li>
 *   <li>anything else: the value equals the whole requirement.</li>
 * </ul>
 * An operator without an operand, or a numeric operator on something that is not a number,
 * does not match.
 */
public final class ExtraSpecs {
    private static final Set<String> TRUE_WORDS = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private enum Op {
        IS("<is>", (v, w) -> isTrue(v) == isTrue(w)),
        IN("<in>", (v, w) -> text(v).contains(w)),
        AT_LEAST("=", (v, w) -> number(v) >= number(w)),
        EQ("==", (v, w) -> number(v) == number(w)),
        NE("!=", (v, w) -> number(v) != number(w)),
        GE(">=", (v, w) -> number(v) >= number(w)),
        LE("<=", (v, w) -> number(v) <= number(w)),
        S_EQ("s==", (v, w) -> text(v).equals(w)),
        S_NE("s!=", (v, w) -> !text(v).equals(w)),
        S_LT("s<", (v, w) -> text(v).compareTo(w) < 0),
        S_LE("s<=", (v, w) -> text(v).compareTo(w) <= 0),
        S_GT("s>", (v, w) -> text(v).compareTo(w) > 0),
        S_GE("s>=", (v, w) -> text(v).compareTo(w) >= 0);

        private final String word;
        private final BiPredicate<Object, String> test;

        Op(String word, BiPredicate<Object, String> test) {
            this.word = word;
            this.test = test;
        }

        static Op of(String word) {
            for (Op op : values()) {
                if (op.word.equals(word)) {
                    return op;
                }
            }
            return null;
        }
    }

    private ExtraSpecs() {
    }

    /**
     * Whether a capability satisfies a requirement. A list capability matches when any of its
     * elements does, except for {@code <all-in>}, which looks at the list as a whole.
     */
    public static boolean satisfies(Object capability, String requirement) {
        if (capability instanceof Collection<?> list) {
            if (requirement != null && "<all-in>".equals(firstWord(requirement))) {
                return allIn(list, requirement);
            }
            for (Object element : list) {
                if (match(element, requirement)) {
                    return true;
                }
            }
            return false;
        }
        return match(capability, requirement);
    }

    /** Matches one (non-list) value against a requirement. */
    public static boolean match(Object value, String requirement) {
        if (requirement == null) {
            return value == null;
        }
        List<String> words = words(requirement);
        String opWord = words.isEmpty() ? null : words.get(0);
        if (!"<or>".equals(opWord) && !"<all-in>".equals(opWord) && Op.of(opWord) == null) {
            return value != null && text(value).equals(requirement);
        }
        if (value == null) {
            return false;
        }
        String text = text(value);
        List<String> operands = words.subList(1, words.size());
        if ("<or>".equals(opWord)) {
            // <or> a <or> b <or> c: the operands sit at every other word.
            for (int i = 0; i < operands.size(); i += 2) {
                if (operands.get(i).equals(text)) {
                    return true;
                }
            }
            return false;
        }
        if ("<all-in>".equals(opWord)) {
            return !operands.isEmpty() && operands.stream().allMatch(text::contains);
        }
        if (operands.isEmpty()) {
            return false;
        }
        try {
            return Op.of(opWord).test.test(value, operands.get(0));
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    private static boolean allIn(Collection<?> values, String requirement) {
        List<String> words = words(requirement);
        if (words.size() < 2) {
            return false;
        }
        List<String> texts = values.stream().map(ExtraSpecs::text).toList();
        return words.subList(1, words.size()).stream().allMatch(texts::contains);
    }

    /** A value as text, the way Python prints it ({@code True}/{@code False} for booleans). */
    static String text(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value);
    }

    /** A boolean as oslo's {@code bool_from_string} reads one: 1, t, true, on, y, yes (any case) are true. */
    static boolean isTrue(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return TRUE_WORDS.contains(text(value).strip().toLowerCase(Locale.ROOT));
    }

    /** Reads a number as Python's {@code float()} does: a boolean is 1 or 0, text must be a decimal number. */
    static double number(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        String t = text(value).strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
                if (!FLOAT.matcher(t).matches()) {
                    throw new NumberFormatException("not a number: " + t);
                }
                return Double.parseDouble(t);
            }
        }
    }

    private static String firstWord(String requirement) {
        List<String> words = words(requirement);
        return words.isEmpty() ? null : words.get(0);
    }

    private static List<String> words(String requirement) {
        String stripped = requirement.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
    }
}
