package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.model.ServiceRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The services table: each role registers once per host and then heartbeats. */
public final class ServiceRepository {
    private static final String COLUMNS = "id, uuid, host, binary_name, topic, availability_zone, disabled,"
            + " disabled_reason, report_count, created_at, updated_at";

    private final Jdbi jdbi;

    public ServiceRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Times registering tries again when a concurrent registration took the number it picked. */
    private static final int REGISTER_ATTEMPTS = 5;

    /**
     * Registers the service (or finds its row from an earlier run) and stamps it as alive. A new
     * service gets the next free number ({@link ServiceRecord#id()}).
     */
    public ServiceRecord register(String host, String binary, String topic, String availabilityZone) {
        for (int attempt = 1; ; attempt++) {
            Optional<ServiceRecord> existing = find(host, binary);
            if (existing.isPresent()) {
                jdbi.useHandle(h -> h.createUpdate("UPDATE services SET availability_zone = :az, topic = :topic,"
                                + " updated_at = :now WHERE uuid = :uuid")
                        .bind("az", availabilityZone).bind("topic", topic).bind("now", Rows.timestamp(Rows.now()))
                        .bind("uuid", existing.get().uuid()).execute());
                return find(host, binary).orElseThrow();
            }
            try {
                jdbi.useTransaction(h -> {
                    int id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM services").mapTo(Integer.class).one();
                    h.createUpdate("INSERT INTO services (" + COLUMNS + ") VALUES"
                                    + " (:id, :uuid, :host, :binary, :topic, :az, FALSE, NULL, 0, :now, :now)")
                            .bind("id", id).bind("uuid", Ids.newId()).bind("host", host).bind("binary", binary)
                            .bind("topic", topic).bind("az", availabilityZone).bind("now", Rows.timestamp(Rows.now()))
                            .execute();
                });
                return find(host, binary).orElseThrow();
            } catch (RuntimeException raced) {
                // Another process registered this service, or took the number, meanwhile.
                if (find(host, binary).isEmpty() && attempt == REGISTER_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    /** Records a heartbeat. */
    public void heartbeat(String uuid) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE services SET report_count = report_count + 1, updated_at = :now"
                        + " WHERE uuid = :uuid")
                .bind("now", Rows.timestamp(Rows.now())).bind("uuid", uuid).execute());
    }

    /** The service numbered {@code id}. */
    public Optional<ServiceRecord> find(int id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM services WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    public Optional<ServiceRecord> find(String host, String binary) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM services"
                        + " WHERE host = :host AND binary_name = :binary")
                .bind("host", host).bind("binary", binary).map((rs, ctx) -> row(rs)).findOne());
    }

    /**
     * Services, optionally only those of {@code binary} and those on {@code host}, matched as Cinder
     * matches a host filter: a value with a {@code #} names a pool (exactly that); with an {@code @},
     * a backend (it and its pools, {@code value#…}); otherwise a host (it, {@code value@…} and
     * {@code value#…}) — so {@code host=node1} lists the volume services {@code node1@lvm} too.
     */
    public List<ServiceRecord> list(String host, String binary) {
        return jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM services WHERE 1 = 1");
            if (host != null) {
                sql.append(" AND (host = :host");
                if (!host.contains("#")) {
                    sql.append(" OR host LIKE :pools");
                    if (!host.contains("@")) {
                        sql.append(" OR host LIKE :backends");
                    }
                }
                sql.append(")");
            }
            if (binary != null) {
                sql.append(" AND binary_name = :binary");
            }
            var q = h.createQuery(sql.append(" ORDER BY binary_name, host").toString());
            if (host != null) {
                q.bind("host", host);
                if (!host.contains("#")) {
                    q.bind("pools", Rows.escapeLike(host) + "#%");
                    if (!host.contains("@")) {
                        q.bind("backends", Rows.escapeLike(host) + "@%");
                    }
                }
            }
            if (binary != null) {
                q.bind("binary", binary);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    /** Enables or disables a service; false if there is no such service. */
    public boolean setDisabled(String host, String binary, boolean disabled, String reason) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE services SET disabled = :d, disabled_reason = :r,"
                        + " updated_at = updated_at WHERE host = :host AND binary_name = :binary")
                .bind("d", disabled).bind("r", reason).bind("host", host).bind("binary", binary).execute() == 1);
    }

    /** Forgets a service (a node taken out for good); false if there is no such service. */
    public boolean remove(String host, String binary) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM services WHERE host = :host AND binary_name = :binary")
                .bind("host", host).bind("binary", binary).execute() == 1);
    }

    private static ServiceRecord row(ResultSet rs) throws SQLException {
        return new ServiceRecord(rs.getInt("id"), rs.getString("uuid"), rs.getString("host"), rs.getString("binary_name"),
                rs.getString("topic"), rs.getString("availability_zone"), rs.getBoolean("disabled"),
                rs.getString("disabled_reason"), rs.getLong("report_count"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
