package dev.basalt.api.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One parsed oslo.policy check: {@code @}, {@code !}, {@code role:x}, {@code rule:x},
 * {@code key:value} (a credential compared with a literal or a {@code %(target)s} value), and
 * {@code and}/{@code or}/{@code not} over them. {@link #toString()} writes it back in that syntax.
 */
public sealed interface Check {

    /** Whether the caller ({@code creds}) passes this check for {@code target}; rules by name from {@code rules}. */
    boolean test(Map<String, String> target, Credentials creds, Rules rules);

    /** Named rules, for {@code rule:x}. */
    @FunctionalInterface
    interface Rules {
        /** The rule, or null when none has that name. */
        Check rule(String name);
    }

    /** {@code @} (always) or {@code !} (never); an empty check string is {@code @}. */
    record Always(boolean value) implements Check {
        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            return value;
        }

        @Override
        public String toString() {
            return value ? "@" : "!";
        }
    }

    /** {@code role:name}: the caller has the role (compared without case). */
    record Role(Template match) implements Check {
        public Role {
            requireNonNull(match, "match");
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            String role = match.expand(target);
            if (role == null) {
                return false;
            }
            for (String r : creds.roles()) {
                if (r.equalsIgnoreCase(role)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "role:" + match;
        }
    }

    /** {@code rule:name}: the named rule passes. */
    record RuleRef(String name) implements Check {
        public RuleRef {
            requireNonNull(name, "name");
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            Check rule = rules.rule(name);
            return rule != null && rule.test(target, creds, rules);
        }

        @Override
        public String toString() {
            return "rule:" + name;
        }
    }

    /**
     * {@code key:value}: the credential {@code key} (a dotted path, or any element of a list)
     * written as Python writes it ({@code True}, {@code None}, the text) equals the value, in which
     * {@code %(name)s} stands for the target's {@code name}. When {@code key} is itself a literal
     * ({@code 'text'}, {@code True}, a number), that literal is compared instead.
     */
    record Generic(String kind, Template match) implements Check {
        public Generic {
            requireNonNull(kind, "kind");
            requireNonNull(match, "match");
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            String expected = match.expand(target);
            if (expected == null) {
                return false;
            }
            String literal = literal(kind);
            if (literal != null) {
                return expected.equals(literal);
            }
            return creds.matches(kind, expected);
        }

        /** Python's text of {@code kind} when it is a literal, else null. */
        static String literal(String kind) {
            if (kind.length() >= 2 && (kind.startsWith("'") && kind.endsWith("'")
                    || kind.startsWith("\"") && kind.endsWith("\""))) {
                return kind.substring(1, kind.length() - 1);
            }
            switch (kind) {
                case "True", "False", "None" -> {
                    return kind;
                }
                default -> {
                    if (kind.matches("-?(0|[1-9][0-9]*)")) {
                        return kind;
                    }
                    return null;
                }
            }
        }

        @Override
        public String toString() {
            return kind + ":" + match;
        }
    }

    /** Every check passes. */
    record And(List<Check> checks) implements Check {
        public And {
            checks = List.copyOf(checks);
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            for (Check c : checks) {
                if (!c.test(target, creds, rules)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "(" + String.join(" and ", checks.stream().map(Check::toString).toList()) + ")";
        }
    }

    /** Some check passes. */
    record Or(List<Check> checks) implements Check {
        public Or {
            checks = List.copyOf(checks);
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            for (Check c : checks) {
                if (c.test(target, creds, rules)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "(" + String.join(" or ", checks.stream().map(Check::toString).toList()) + ")";
        }
    }

    /** The check fails. */
    record Not(Check check) implements Check {
        public Not {
            requireNonNull(check, "check");
        }

        @Override
        public boolean test(Map<String, String> target, Credentials creds, Rules rules) {
            return !check.test(target, creds, rules);
        }

        @Override
        public String toString() {
            return "not " + check;
        }
    }
}
