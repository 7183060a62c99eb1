package dev.basalt.db;

import dev.basalt.model.QuotaResources;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Removes a deleted volume type's quota resources ({@code volumes:<type id>}, …) in the transaction that deletes it. */
final class TypeQuotaResources {
    private TypeQuotaResources() {
    }

    /**
     * The type was deleted (no volume uses it): its limits go, and so do its usage rows, which
     * are empty by then.
     */
    static void drop(Handle h, String typeId) {
        List<String> keys = QuotaResources.PER_TYPE.stream().map(r -> QuotaResources.keyOfType(r, typeId)).toList();
        h.createUpdate("DELETE FROM quotas WHERE resource IN (<r>)").bindList("r", keys).execute();
        h.createUpdate("DELETE FROM quota_classes WHERE resource IN (<r>)").bindList("r", keys).execute();
        h.createUpdate("DELETE FROM quota_usages WHERE resource IN (<r>) AND claimed = 0")
                .bindList("r", keys).execute();
    }
}
