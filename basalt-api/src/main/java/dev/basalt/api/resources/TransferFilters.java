package dev.basalt.api.resources;

import dev.basalt.model.Transfer;
import java.util.Map;
import java.util.Objects;

/**
 * Cinder's transfer list filters: each query parameter names a column of its transfers table
 * ({@code name} stands for {@code display_name}) and matches it exactly; a parameter that names no
 * column matches nothing (Cinder then lists no transfer at all). Listed transfers are never
 * deleted, and have no expiry.
 */
final class TransferFilters {
    private TransferFilters() {
    }

    static boolean matches(Transfer t, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String v = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "id" -> t.id().equals(v);
                case "volume_id" -> t.volumeId().equals(v);
                case "name", "display_name" -> Objects.equals(t.name(), v);
                case "salt" -> t.salt().equals(v);
                case "crypt_hash" -> t.cryptHash().equals(v);
                case "source_project_id" -> Objects.equals(t.sourceProjectId(), v);
                case "destination_project_id" -> Objects.equals(t.destinationProjectId(), v);
                case "no_snapshots" -> Boolean.valueOf(t.noSnapshots()).equals(Booleans.parseOrNull(v));
                case "accepted" -> Boolean.valueOf(t.accepted()).equals(Booleans.parseOrNull(v));
                case "deleted" -> Boolean.FALSE.equals(Booleans.parseOrNull(v));
                case "created_at" -> t.createdAt() != null && Timestamps.format(t.createdAt()).equals(v);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
