package dev.basalt.api.http;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A method and path pattern ({@code /volumes/{id}/metadata/{key}}, relative to
 * {@code /v3[/{project_id}]}), the first microversion that has it, and its handler.
 */
public record Route(String method, List<String> pattern, ApiVersion since, Handler handler) {
    public Route {
        requireNonNull(method, "method");
        pattern = List.copyOf(pattern);
        requireNonNull(since, "since");
        requireNonNull(handler, "handler");
    }

    static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    /** Whether the segments fit the pattern; fills {@code params} with the {@code {name}} parts. */
    boolean matches(List<String> segments, Map<String, String> params) {
        if (segments.size() != pattern.size()) {
            return false;
        }
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (isParameter(p)) {
                params.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The pattern as a path, {@code /volumes/{id}/metadata/{key}}: what metrics name the route by. */
    public String path() {
        return "/" + String.join("/", pattern);
    }

    /** Literal segments beat parameters, so {@code /volumes/detail} wins over {@code /volumes/{id}}. */
    int specificity() {
        int literal = 0;
        for (String p : pattern) {
            literal = literal * 2 + (isParameter(p) ? 0 : 1);
        }
        return literal;
    }

    static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
