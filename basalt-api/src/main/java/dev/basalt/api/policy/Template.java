package dev.basalt.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value side of a check, with Python's {@code %(name)s} references to the target and
 * {@code %%} for a percent sign, split once when the rule is read.
 */
public record Template(String text, List<Part> parts) {
    /** Literal text, or a reference to the target's {@code name}. */
    public record Part(String literal, String reference) {
    }

    public Template {
        parts = List.copyOf(parts);
    }

    /** Splits {@code text}; a {@code %} that starts neither {@code %(name)s} nor {@code %%} is refused. */
    public static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (text.startsWith("%%", i)) {
                literal.append('%');
                i += 2;
                continue;
            }
            int close = text.indexOf(")s", i);
            if (!text.startsWith("%(", i) || close < 0) {
                throw new PolicyException("\"" + text + "\": a % must start %(name)s (or be written %%)");
            }
            if (!literal.isEmpty()) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(new Part(null, text.substring(i + 2, close)));
            i = close + 2;
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Part(literal.toString(), null));
        }
        return new Template(text, parts);
    }

    /** The text with the target's values in place, or null when the target lacks one of them. */
    public String expand(Map<String, String> target) {
        if (parts.size() == 1 && parts.get(0).reference() == null) {
            return parts.get(0).literal();
        }
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p.reference() == null) {
                out.append(p.literal());
            } else {
                String value = target.get(p.reference());
                if (value == null) {
                    return null;
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
