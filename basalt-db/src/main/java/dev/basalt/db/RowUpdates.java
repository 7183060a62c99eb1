package dev.basalt.db;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The updates that the resources with a status and a name (volumes, snapshots, backups) make the
 * same way, on the caller's handle: a change conditional on the status the caller expects, and a
 * rename. Both mark the row updated.
 */
final class RowUpdates {
    private RowUpdates() {
    }

    /**
     * Runs {@code UPDATE table SET set WHERE id = ? AND status IN (expected)} with what
     * {@code binder} binds ({@code set}'s own names must not end in {@code _}); true if it changed
     * the row, false if the row is gone or its status is another.
     */
    static boolean ifStatus(Handle h, String table, String id, Collection<String> expected, String set,
                            Consumer<Update> binder) {
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("a conditional update needs at least one expected status");
        }
        Update update = h.createUpdate("UPDATE " + table + " SET " + set + ", updated_at = :now_"
                        + " WHERE id = :id_ AND status IN (<expected_>)")
                .bind("now_", Rows.timestamp(Rows.now())).bind("id_", id).bindList("expected_", List.copyOf(expected));
        binder.accept(update);
        return update.execute() == 1;
    }

    /**
     * Sets {@code display_name} when {@code setName} and {@code display_description} when
     * {@code setDescription} (either may be set to null); false if the row does not exist.
     */
    static boolean rename(Handle h, String table, String id, boolean setName, String name, boolean setDescription,
                          String description) {
        StringBuilder set = new StringBuilder("updated_at = :now");
        if (setName) {
            set.append(", display_name = :name");
        }
        if (setDescription) {
            set.append(", display_description = :description");
        }
        Update update = h.createUpdate("UPDATE " + table + " SET " + set + " WHERE id = :id")
                .bind("now", Rows.timestamp(Rows.now())).bind("id", id);
        if (setName) {
            update.bind("name", name);
        }
        if (setDescription) {
            update.bind("description", description);
        }
        return update.execute() == 1;
    }
}
