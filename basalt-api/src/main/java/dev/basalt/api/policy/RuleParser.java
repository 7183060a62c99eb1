package dev.basalt.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses oslo.policy's check strings: checks ({@code @}, {@code !}, {@code role:x},
 * {@code rule:x}, {@code key:value}) joined by {@code and}, {@code or} and {@code not} (any case),
 * with parentheses; {@code not} binds tightest, then {@code and}, then {@code or}. An empty string
 * allows everyone. Where oslo.policy would log a rule it cannot read and deny it, Basalt refuses it.
 */
public final class RuleParser {
    private static final String OPEN = "(";
    private static final String CLOSE = ")";

    private final String text;
    private final List<String> tokens;
    private int next;

    private RuleParser(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** The check that {@code text} says. */
    public static Check parse(String text) {
        if (text == null || text.isBlank()) {
            return new Check.Always(true);
        }
        RuleParser parser = new RuleParser(text);
        Check check = parser.or();
        if (parser.next < parser.tokens.size()) {
            throw parser.error("unexpected \"" + parser.tokens.get(parser.next) + "\"");
        }
        return check;
    }

    private Check or() {
        List<Check> any = new ArrayList<>();
        any.add(and());
        while (peekKeyword("or")) {
            next++;
            any.add(and());
        }
        return any.size() == 1 ? any.get(0) : new Check.Or(any);
    }

    private Check and() {
        List<Check> all = new ArrayList<>();
        all.add(not());
        while (peekKeyword("and")) {
            next++;
            all.add(not());
        }
        return all.size() == 1 ? all.get(0) : new Check.And(all);
    }

    private Check not() {
        if (peekKeyword("not")) {
            next++;
            return new Check.Not(not());
        }
        return atom();
    }

    private Check atom() {
        if (next >= tokens.size()) {
            throw error("it ends where a check was expected");
        }
        String token = tokens.get(next++);
        if (token.equals(OPEN)) {
            Check inner = or();
            if (next >= tokens.size() || !tokens.get(next).equals(CLOSE)) {
                throw error("a \"(\" is not closed");
            }
            next++;
            return inner;
        }
        if (token.equals(CLOSE) || isKeyword(token)) {
            throw error("unexpected \"" + token + "\" where a check was expected");
        }
        return check(token);
    }

    private Check check(String token) {
        if (token.equals("@")) {
            return new Check.Always(true);
        }
        if (token.equals("!")) {
            return new Check.Always(false);
        }
        int colon = token.indexOf(':');
        if (colon < 0) {
            throw error("\"" + token + "\" is not a check (kind:match, @ or !)");
        }
        String kind = token.substring(0, colon);
        String match = token.substring(colon + 1);
        try {
            return switch (kind) {
                case "rule" -> new Check.RuleRef(match);
                case "role" -> new Check.Role(Template.parse(match));
                case "http", "https" -> throw error("\"" + token + "\": http checks are not supported by Basalt");
                default -> new Check.Generic(kind, Template.parse(match));
            };
        } catch (PolicyException e) {
            if (e.getMessage().startsWith("\"" + text + "\"")) {
                throw e;
            }
            throw error(e.getMessage());
        }
    }

    private boolean peekKeyword(String keyword) {
        return next < tokens.size() && tokens.get(next).toLowerCase(Locale.ROOT).equals(keyword);
    }

    private static boolean isKeyword(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        return lower.equals("and") || lower.equals("or") || lower.equals("not");
    }

    private PolicyException error(String problem) {
        return new PolicyException("\"" + text + "\": " + problem);
    }

    /** Splits on white space; parentheses at the start or end of a word are tokens of their own. */
    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            int start = 0;
            while (start < word.length() && word.charAt(start) == '(') {
                tokens.add(OPEN);
                start++;
            }
            int end = word.length();
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')') {
                end--;
                closing++;
            }
            String core = word.substring(start, end);
            if (!core.isEmpty()) {
                if (core.length() >= 2 && (core.startsWith("\"") && core.endsWith("\"")
                        || core.startsWith("'") && core.endsWith("'"))) {
                    throw new PolicyException("\"" + text + "\": " + core + " is a bare string, not a check");
                }
                tokens.add(core);
            }
            for (int i = 0; i < closing; i++) {
                tokens.add(CLOSE);
            }
        }
        return tokens;
    }
}
