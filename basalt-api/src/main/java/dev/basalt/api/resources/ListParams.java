package dev.basalt.api.resources;

import dev.basalt.api.http.QueryParams;
import dev.basalt.common.BasaltException;
import dev.basalt.db.Sort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cinder's pagination and sort parameters: {@code limit} (capped at {@code osapi_max_limit}),
 * {@code marker}, {@code offset}, and either {@code sort=key[:dir],...} or the legacy
 * {@code sort_key}/{@code sort_dir}. Sort keys are returned as given; callers map API names.
 */
record ListParams(int limit, boolean limitGiven, String marker, int offset, List<Sort> sort) {
    static final List<String> KEYS = List.of("limit", "marker", "offset", "sort", "sort_key", "sort_dir");

    static ListParams parse(QueryParams query, int maxLimit) {
        int limit = maxLimit;
        String rawLimit = query.get("limit");
        if (rawLimit != null) {
            long parsed;
            try {
                parsed = Long.parseLong(rawLimit.trim());
            } catch (NumberFormatException e) {
                throw BasaltException.badRequest("limit param must be an integer");
            }
            if (parsed < 0) {
                throw BasaltException.badRequest("limit param must be positive");
            }
            limit = (int) Math.min(parsed, maxLimit);
        }
        int offset = 0;
        String rawOffset = query.get("offset");
        if (rawOffset != null) {
            long parsed;
            try {
                parsed = Long.parseLong(rawOffset.trim());
            } catch (NumberFormatException e) {
                throw BasaltException.badRequest("Invalid input received: offset must be an integer.");
            }
            if (parsed < 0 || parsed > Integer.MAX_VALUE) {
                throw BasaltException.badRequest("Invalid input received: offset must be >= 0 and <= %d.",
                        Integer.MAX_VALUE);
            }
            offset = (int) parsed;
        }
        String marker = query.get("marker");
        return new ListParams(limit, rawLimit != null, marker, offset, sort(query));
    }

    private static List<Sort> sort(QueryParams query) {
        String sort = query.get("sort");
        List<Sort> keys = new ArrayList<>();
        if (sort != null) {
            if (query.has("sort_key") || query.has("sort_dir")) {
                throw BasaltException.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and"
                        + " cannot be used with the 'sort' parameter.");
            }
            for (String part : sort.trim().split(",")) {
                int colon = part.indexOf(':');
                String key = (colon < 0 ? part : part.substring(0, colon)).trim();
                String dir = colon < 0 ? "desc" : part.substring(colon + 1).trim();
                keys.add(new Sort(key, ascending(dir)));
            }
        } else {
            String key = query.get("sort_key");
            String dir = query.get("sort_dir");
            keys.add(new Sort(key == null ? "created_at" : key.trim(), ascending(dir == null ? "desc" : dir.trim())));
        }
        return keys;
    }

    private static boolean ascending(String dir) {
        return switch (dir.toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw BasaltException.badRequest(
                    "Invalid input received: Unknown sort direction '%s', must be 'desc' or 'asc'.", dir);
        };
    }

    /** Whether a page of {@code returned} items (out of {@code total}, when counted) gets a next link. */
    boolean hasNext(int returned, Long total) {
        long seen = total != null && total > 0 ? total : returned;
        return returned > 0 && limit <= seen;
    }
}
