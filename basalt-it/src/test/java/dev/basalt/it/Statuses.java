package dev.basalt.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Waits for a volume, snapshot or backup to reach a status, reading it through the API: one HTTP GET
 * per poll. Polling with {@code cinder show} started a Python client for every poll (about a second
 * of CPU each on two cores); a test shows what the client displays once the wait is over.
 */
final class Statuses {
    /** The resources waited for: their collection's path and the key of one in a response. */
    enum Kind {
        VOLUME("volumes", "volume", null), SNAPSHOT("snapshots", "snapshot", null), BACKUP("backups", "backup", null),
        GROUP_SNAPSHOT("group_snapshots", "group_snapshot", "3.14");

        private final String collection;
        private final String key;
        /** The microversion the resource needs (null: the base version). */
        private final String version;

        Kind(String collection, String key, String version) {
            this.collection = collection;
            this.key = key;
            this.version = version;
        }
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration POLL = Duration.ofMillis(100);

    private final Api api;
    private final Duration patience;

    Statuses(Api api, Duration patience) {
        this.api = api;
        this.patience = patience;
    }

    /** Waits until the volume (id or name) has {@code status}; the volume as the API shows it then. */
    JsonNode volume(String nameOrId, String status) {
        return until(Kind.VOLUME, nameOrId, hasStatus(status));
    }

    /** Waits until the snapshot (id or name) has {@code status}; the snapshot as the API shows it then. */
    JsonNode snapshot(String nameOrId, String status) {
        return until(Kind.SNAPSHOT, nameOrId, hasStatus(status));
    }

    /** Waits until the group snapshot (id or name) has {@code status}; it as the API shows it then (3.14). */
    JsonNode groupSnapshot(String nameOrId, String status) {
        return until(Kind.GROUP_SNAPSHOT, nameOrId, hasStatus(status));
    }

    /** Waits until the backup (id or name) has {@code status}; the backup as the API shows it then. */
    JsonNode backup(String nameOrId, String status) {
        return until(Kind.BACKUP, nameOrId, hasStatus(status));
    }

    /** Waits until the resource (id or name) is shown and {@code done}; it as the API shows it then. */
    JsonNode until(Kind kind, String nameOrId, Predicate<JsonNode> done) {
        return await().atMost(patience).pollInterval(POLL).until(() -> find(kind, nameOrId),
                shown -> shown != null && done.test(shown));
    }

    /** Waits until the resource (id or name) is no longer found (deleted). */
    void gone(Kind kind, String nameOrId) {
        await().atMost(patience).pollInterval(POLL).until(() -> find(kind, nameOrId) == null);
    }

    private static Predicate<JsonNode> hasStatus(String status) {
        return shown -> status.equals(shown.path("status").asText());
    }

    /** The resource as the API shows it, or null when there is none of that id or name. */
    private JsonNode find(Kind kind, String nameOrId) throws Exception {
        if (UUID.matcher(nameOrId).matches()) {
            Api.Response shown = api.send("GET", "/" + kind.collection + "/" + nameOrId, null, kind.version);
            if (shown.status() == 404) {
                return null;
            }
            ok(shown);
            return shown.body().get(kind.key);
        }
        Api.Response named = api.send("GET", "/" + kind.collection + "/detail?name="
                + URLEncoder.encode(nameOrId, StandardCharsets.UTF_8), null, kind.version);
        ok(named);
        JsonNode all = named.body().get(kind.collection);
        if (all.size() > 1) {
            throw new AssertionError("more than one of " + kind.collection + " is named " + nameOrId);
        }
        return all.isEmpty() ? null : all.get(0);
    }

    private static void ok(Api.Response response) {
        if (response.status() != 200) {
            throw new AssertionError("GET answered " + response.status() + ": " + response.raw());
        }
    }
}
