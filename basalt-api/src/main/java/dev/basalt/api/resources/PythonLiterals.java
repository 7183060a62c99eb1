package dev.basalt.api.resources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Python literals clients put in query parameters, e.g. {@code metadata={'k': 'v'}} (what
 * Cinder reads with {@code ast.literal_eval}): flat dicts of strings and numbers, quoted strings,
 * {@code None}.
 */
final class PythonLiterals {
    private PythonLiterals() {
    }

    /** A flat dict of scalars; null when the text is not one. Scalars come back as strings. */
    static Map<String, String> dictOrNull(String text) {
        Parser p = new Parser(text);
        try {
            Map<String, String> map = p.dict();
            p.skipSpace();
            return p.atEnd() ? map : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The text without one pair of matching quotes around it, if it has them. */
    static String unquote(String text) {
        String t = text.trim();
        if (t.length() >= 2 && (t.charAt(0) == '\'' || t.charAt(0) == '"') && t.charAt(t.length() - 1) == t.charAt(0)) {
            Parser p = new Parser(t);
            try {
                String s = p.string();
                return p.atEnd() ? s : text;
            } catch (IllegalArgumentException e) {
                return text;
            }
        }
        return text;
    }

    static boolean isNone(String text) {
        return text != null && text.trim().equals("None");
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        void expect(char c) {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            i++;
        }

        Map<String, String> dict() {
            Map<String, String> map = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return map;
            }
            while (true) {
                String key = scalar();
                expect(':');
                String value = scalar();
                map.put(key, value);
                skipSpace();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    skipSpace();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return map;
                    }
                    continue;
                }
                expect('}');
                return map;
            }
        }

        String scalar() {
            skipSpace();
            if (i >= s.length()) {
                throw new IllegalArgumentException("value expected");
            }
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "+-._".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            String word = s.substring(start, i);
            if (word.isEmpty()) {
                throw new IllegalArgumentException("value expected");
            }
            if (word.equals("True") || word.equals("False") || word.equals("None")) {
                return word;
            }
            try {
                new java.math.BigDecimal(word);
                return word;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a literal: " + word);
            }
        }

        String string() {
            skipSpace();
            char quote = s.charAt(i++);
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated string");
        }
    }
}
