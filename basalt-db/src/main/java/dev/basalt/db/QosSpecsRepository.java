package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.QosSpecs;
import dev.basalt.model.VolumeType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * QoS specs, their key/value specs and their association with volume types (a type has at most
 * one). Names are unique: a duplicate is a 409, as Cinder's. Every change is one transaction.
 */
public final class QosSpecsRepository {
    private static final String COLUMNS = "id, name, consumer, created_at, updated_at";

    /** What {@link #delete} did. */
    public enum Deletion { DELETED, NOT_FOUND, IN_USE }

    /** What {@link #associate} did. */
    public enum Association { ASSOCIATED, SPECS_NOT_FOUND, TYPE_NOT_FOUND, TYPE_HAS_OTHER_SPECS }

    private final Jdbi jdbi;

    public QosSpecsRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    public QosSpecs create(String name, QosSpecs.Consumer consumer, Map<String, String> specs) {
        QosSpecs created = new QosSpecs(Ids.newId(), name, consumer, specs, Rows.now(), null);
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO qos_specs (" + COLUMNS + ") VALUES (:id, :name, :consumer, :c, NULL)")
                        .bind("id", created.id()).bind("name", name).bind("consumer", consumer.apiName())
                        .bind("c", Rows.timestamp(created.createdAt())).execute();
                insertSpecs(h, created.id(), specs);
            });
        } catch (RuntimeException e) {
            if (exists(name)) {
                throw BasaltException.conflict("QoS Specs %s already exists.", name);
            }
            throw e;
        }
        return created;
    }

    public Optional<QosSpecs> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM qos_specs WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne()
                .map(q -> withSpecs(q, specsOf(h, List.of(q.id())).getOrDefault(q.id(), Map.of()))));
    }

    /** All QoS specs, unordered. */
    public List<QosSpecs> list() {
        return jdbi.withHandle(h -> {
            List<QosSpecs> all = h.createQuery("SELECT " + COLUMNS + " FROM qos_specs").map((rs, ctx) -> row(rs)).list();
            Map<String, Map<String, String>> specs = specsOf(h, null);
            return all.stream().map(q -> withSpecs(q, specs.getOrDefault(q.id(), Map.of()))).toList();
        });
    }

    /**
     * Sets the consumer (null: unchanged) and adds or overwrites specs; false if the QoS specs do
     * not exist.
     */
    public boolean update(String id, QosSpecs.Consumer consumer, Map<String, String> specs) {
        return jdbi.inTransaction(h -> {
            var update = h.createUpdate("UPDATE qos_specs SET updated_at = :now"
                            + (consumer == null ? "" : ", consumer = :consumer") + " WHERE id = :id")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id);
            if (consumer != null) {
                update.bind("consumer", consumer.apiName());
            }
            if (update.execute() == 0) {
                return false;
            }
            if (!specs.isEmpty()) {
                h.createUpdate("DELETE FROM qos_specs_items WHERE specs_id = :id AND spec_key IN (<k>)")
                        .bind("id", id).bindList("k", List.copyOf(specs.keySet())).execute();
                insertSpecs(h, id, specs);
            }
            return true;
        });
    }

    /**
     * Removes the keys in order up to the first one that is not set, as Cinder does; returns that
     * key (the ones before it are removed), or empty when all were removed.
     */
    public Optional<String> deleteKeys(String id, List<String> keys) {
        return jdbi.inTransaction(h -> {
            for (String key : keys) {
                int removed = h.createUpdate("DELETE FROM qos_specs_items WHERE specs_id = :id AND spec_key = :k")
                        .bind("id", id).bind("k", key).execute();
                if (removed == 0) {
                    return Optional.of(key);
                }
                h.createUpdate("UPDATE qos_specs SET updated_at = :now WHERE id = :id")
                        .bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
            }
            return Optional.empty();
        });
    }

    /** Deletes the QoS specs; while types use them only with {@code force} (which disassociates them first). */
    public Deletion delete(String id, boolean force) {
        return jdbi.inTransaction(h -> {
            if (!lock(h, id)) {
                return Deletion.NOT_FOUND;
            }
            if (!force && countTypes(h, id) > 0) {
                return Deletion.IN_USE;
            }
            disassociateAll(h, id);
            h.createUpdate("DELETE FROM qos_specs_items WHERE specs_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM qos_specs WHERE id = :id").bind("id", id).execute();
            return Deletion.DELETED;
        });
    }

    /** The volume types associated with the QoS specs, by name. */
    public List<VolumeType> associations(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name FROM volume_types WHERE qos_specs_id = :id"
                        + " ORDER BY name, id")
                .bind("id", id)
                .map((rs, ctx) -> new VolumeType(rs.getString(1), rs.getString(2), null, true, Map.of(), null, null,
                        id))
                .list());
    }

    /**
     * Associates the QoS specs with a type that has none (or already these): a type that has other
     * QoS specs is refused, as in Cinder.
     */
    public Association associate(String id, String typeId) {
        return jdbi.inTransaction(h -> {
            if (!lock(h, id)) {
                return Association.SPECS_NOT_FOUND;
            }
            int updated = h.createUpdate("UPDATE volume_types SET qos_specs_id = :s, updated_at = :now"
                            + " WHERE id = :t AND (qos_specs_id IS NULL OR qos_specs_id = :s)")
                    .bind("s", id).bind("t", typeId).bind("now", Rows.timestamp(Rows.now())).execute();
            if (updated == 1) {
                return Association.ASSOCIATED;
            }
            boolean typeExists = h.createQuery("SELECT COUNT(*) FROM volume_types WHERE id = :t").bind("t", typeId)
                    .mapTo(Integer.class).one() > 0;
            return typeExists ? Association.TYPE_HAS_OTHER_SPECS : Association.TYPE_NOT_FOUND;
        });
    }

    /** The id of the QoS specs a type has, if any. */
    public Optional<String> specsIdOfType(String typeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT qos_specs_id FROM volume_types WHERE id = :t")
                .bind("t", typeId).mapTo(String.class).findOne());
    }

    /** The QoS specs of a volume type, if it has any. */
    public Optional<QosSpecs> forType(String typeId) {
        return specsIdOfType(typeId).flatMap(this::find);
    }

    /** Removes the association of a type with these QoS specs; false if the type does not exist. */
    public boolean disassociate(String id, String typeId) {
        return jdbi.inTransaction(h -> {
            boolean typeExists = h.createQuery("SELECT COUNT(*) FROM volume_types WHERE id = :t").bind("t", typeId)
                    .mapTo(Integer.class).one() > 0;
            if (typeExists) {
                h.createUpdate("UPDATE volume_types SET qos_specs_id = NULL, updated_at = :now"
                                + " WHERE id = :t AND qos_specs_id = :s")
                        .bind("s", id).bind("t", typeId).bind("now", Rows.timestamp(Rows.now())).execute();
            }
            return typeExists;
        });
    }

    /** Removes the association of every type with these QoS specs. */
    public void disassociateAll(String id) {
        jdbi.useTransaction(h -> disassociateAll(h, id));
    }

    private static void disassociateAll(Handle h, String id) {
        h.createUpdate("UPDATE volume_types SET qos_specs_id = NULL, updated_at = :now WHERE qos_specs_id = :s")
                .bind("s", id).bind("now", Rows.timestamp(Rows.now())).execute();
    }

    /** Locks the QoS specs' row for the transaction (an associate waits); false if there is none. */
    private static boolean lock(Handle h, String id) {
        return h.createQuery("SELECT id FROM qos_specs WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().isPresent();
    }

    private static int countTypes(Handle h, String id) {
        return h.createQuery("SELECT COUNT(*) FROM volume_types WHERE qos_specs_id = :id").bind("id", id)
                .mapTo(Integer.class).one();
    }

    private boolean exists(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM qos_specs WHERE name = :n").bind("n", name)
                .mapTo(Integer.class).one() > 0);
    }

    private static QosSpecs row(ResultSet rs) throws SQLException {
        return new QosSpecs(rs.getString(1), rs.getString(2), QosSpecs.Consumer.fromApiName(rs.getString(3)), Map.of(),
                Rows.instant(rs, 4), Rows.instant(rs, 5));
    }

    private static QosSpecs withSpecs(QosSpecs q, Map<String, String> specs) {
        return new QosSpecs(q.id(), q.name(), q.consumer(), specs, q.createdAt(), q.updatedAt());
    }

    /** Specs by QoS specs id, keys in order; of one QoS specs ({@code ids}) or of all (null). */
    private static Map<String, Map<String, String>> specsOf(Handle h, List<String> ids) {
        Map<String, Map<String, String>> specs = new HashMap<>();
        String where = ids == null ? "" : " WHERE specs_id IN (<ids>)";
        var query = h.createQuery("SELECT specs_id, spec_key, spec_value FROM qos_specs_items" + where
                + " ORDER BY spec_key");
        if (ids != null) {
            query.bindList("ids", new ArrayList<>(ids));
        }
        query.map((rs, ctx) -> {
            specs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            return 0;
        }).list();
        return specs;
    }

    private static void insertSpecs(Handle h, String id, Map<String, String> specs) {
        if (specs.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO qos_specs_items (specs_id, spec_key, spec_value) VALUES (:id, :k, :v)");
        specs.forEach((k, v) -> batch.bind("id", id).bind("k", k).bind("v", v).add());
        batch.execute();
    }
}
