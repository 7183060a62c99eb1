package dev.basalt.api.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query parameters in their order, as a web form decodes them ({@code +} is a
 * space). A key given more than once answers its last value, as Cinder reads it.
 */
public final class QueryParams {
    private static final QueryParams EMPTY = new QueryParams(List.of());

    private final List<Map.Entry<String, String>> pairs;

    private QueryParams(List<Map.Entry<String, String>> pairs) {
        this.pairs = List.copyOf(pairs);
    }

    public static QueryParams empty() {
        return EMPTY;
    }

    /** Parses a raw (still encoded) query string; null or empty gives no parameters. */
    public static QueryParams parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(Map.entry(PercentDecoding.formDecode(key), PercentDecoding.formDecode(value)));
        }
        return new QueryParams(pairs);
    }

    public static QueryParams of(Map<String, String> values) {
        return new QueryParams(new ArrayList<>(values.entrySet()));
    }

    /** The last value given for {@code key}, or null. */
    public String get(String key) {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            if (pairs.get(i).getKey().equals(key)) {
                return pairs.get(i).getValue();
            }
        }
        return null;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** Each key once, with its last value, in the order keys first appear. */
    public Map<String, String> lastValues() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pairs) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    /** These parameters without {@code key}, then {@code key=value} at the end, form-encoded. */
    public String encodeReplacing(String key, String value) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : pairs) {
            if (!e.getKey().equals(key)) {
                append(out, e.getKey(), e.getValue());
            }
        }
        append(out, key, value);
        return out.toString();
    }

    public Set<String> keys() {
        return lastValues().keySet();
    }

    private static void append(StringBuilder out, String key, String value) {
        if (!out.isEmpty()) {
            out.append('&');
        }
        out.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
