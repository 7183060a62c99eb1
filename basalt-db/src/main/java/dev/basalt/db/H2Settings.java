package dev.basalt.db;

import java.util.Locale;
import java.util.Map;

/**
 * The settings Basalt gives an embedded H2 database unless its URL sets them already:
 * <ul>
 *   <li>{@code LOCK_TIMEOUT=10000}: a transaction waits up to 10 s for a row another holds;</li>
 *   <li>{@code WRITE_DELAY=0}: a commit reaches the file before it returns, so a process killed
 *       right after answering a request keeps what it answered for (H2's default keeps commits
 *       in memory for up to 500 ms);</li>
 *   <li>{@code QUERY_CACHE_SIZE=128}: each connection keeps that many parsed statements (H2's
 *       default, 8, is fewer than the statements one volume create runs, so every statement was
 *       parsed again each time).</li>
 * </ul>
 */
final class H2Settings {
    static final Map<String, String> DEFAULTS = Map.of("LOCK_TIMEOUT", "10000", "QUERY_CACHE_SIZE", "128", "WRITE_DELAY", "0");

    private H2Settings() {
    }

    /** {@code url} with each default it does not set appended ({@code ;NAME=value}). */
    static String withDefaults(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder result = new StringBuilder(url);
        DEFAULTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(setting -> {
            if (!upper.contains(";" + setting.getKey() + "=")) {
                result.append(';').append(setting.getKey()).append('=').append(setting.getValue());
            }
        });
        return result.toString();
    }
}
