package dev.basalt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of one INI file the way oslo.config does: {@code [section]} headers,
 * {@code key = value} (or {@code key: value}), {@code #} and {@code ;} comment lines, a value in
 * matching quotes loses them, and an indented line continues the value above it (joined with a
 * newline) until a blank line. Unlike oslo.config, an indented comment line is a comment.
 */
final class IniParser {
    private final String file;
    private final RawConfig.Builder into;
    private String section;
    private String key;
    private int keyLine;
    private final List<String> value = new ArrayList<>();

    private IniParser(String file, RawConfig.Builder into) {
        this.file = file;
        this.into = into;
    }

    /** Adds the values of {@code lines}, read from {@code file}, to {@code into}. */
    static void parse(String file, List<String> lines, RawConfig.Builder into) {
        IniParser parser = new IniParser(file, into);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            parser.line(i + 1, line.stripTrailing());
        }
        parser.flush();
    }

    private void line(int number, String line) {
        if (line.isEmpty()) {
            flush();
        } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            continuation(number, line.strip());
        } else {
            flush();
            if (line.startsWith("[")) {
                header(number, line);
            } else if (!isComment(line)) {
                assignment(number, line);
            }
        }
    }

    private void continuation(int number, String text) {
        if (isComment(text)) {
            return;
        }
        if (key == null) {
            throw error(number, "indented line continues no option: \"" + text + "\"");
        }
        value.add(text);
    }

    private void header(int number, String line) {
        if (!line.endsWith("]")) {
            throw error(number, "section header \"" + line + "\" has no closing ']'");
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (name.isEmpty()) {
            throw error(number, "section header has no name");
        }
        section = name;
        into.section(name, file);
    }

    private void assignment(int number, String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        int split = colon < 0 || (equals >= 0 && equals < colon) ? equals : colon;
        if (split < 0) {
            throw error(number, "expected \"option = value\", found \"" + line + "\"");
        }
        String name = line.substring(0, split).strip();
        if (name.isEmpty()) {
            throw error(number, "no option name before '" + line.charAt(split) + "'");
        }
        if (section == null) {
            throw error(number, "option \"" + name + "\" comes before any [section]");
        }
        key = name;
        keyLine = number;
        value.add(unquote(line.substring(split + 1).strip()));
    }

    private void flush() {
        if (key != null) {
            into.put(section, key, new RawValue(String.join("\n", value), file, keyLine));
            key = null;
            value.clear();
        }
    }

    private static boolean isComment(String text) {
        return text.startsWith("#") || text.startsWith(";");
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'')
                && text.charAt(text.length() - 1) == text.charAt(0)) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    private ConfigException error(int number, String message) {
        return new ConfigException(file + ": line " + number + ": " + message);
    }
}
