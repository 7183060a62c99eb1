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
    private static final String COLUMNS = "uuid, host, binary_name, topic, availability_zone, disabled,"
            + " disabled_reason, report_count, created_at, updated_at";

    private final Jdbi jdbi;

    public ServiceRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Registers the service (or finds its row from an earlier run) and stamps it as alive. */
    public ServiceRecord register(String host, String binary, String topic, String availabilityZone) {
        Optional<ServiceRecord> existing = find(host, binary);
        if (existing.isEmpty()) {
            try {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO services (" + COLUMNS + ") VALUES"
                                + " (:uuid, :host, :binary, :topic, :az, FALSE, NULL, 0, :now, :now)")
                        .bind("uuid", Ids.newId()).bind("host", host).bind("binary", binary).bind("topic", topic)
                        .bind("az", availabilityZone).bind("now", Rows.timestamp(Rows.now())).execute());
            } catch (RuntimeException raced) {
                if (find(host, binary).isEmpty()) {
                    throw raced;
                }
            }
        } else {
            jdbi.useHandle(h -> h.createUpdate("UPDATE services SET availability_zone = :az, topic = :topic,"
                            + " updated_at = :now WHERE uuid = :uuid")
                    .bind("az", availabilityZone).bind("topic", topic).bind("now", Rows.timestamp(Rows.now()))
                    .bind("uuid", existing.get().uuid()).execute());
        }
        return find(host, binary).orElseThrow();
    }

    /** Records a heartbeat. */
    public void heartbeat(String uuid) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE services SET report_count = report_count + 1, updated_at = :now"
                        + " WHERE uuid = :uuid")
                .bind("now", Rows.timestamp(Rows.now())).bind("uuid", uuid).execute());
    }

    public Optional<ServiceRecord> find(String host, String binary) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM services"
                        + " WHERE host = :host AND binary_name = :binary")
                .bind("host", host).bind("binary", binary).map((rs, ctx) -> row(rs)).findOne());
    }

    /** Services, optionally only those on {@code host} and/or of {@code binary}. */
    public List<ServiceRecord> list(String host, String binary) {
        return jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM services WHERE 1 = 1");
            if (host != null) {
                sql.append(" AND host = :host");
            }
            if (binary != null) {
                sql.append(" AND binary_name = :binary");
            }
            var q = h.createQuery(sql.append(" ORDER BY binary_name, host").toString());
            if (host != null) {
                q.bind("host", host);
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
        return new ServiceRecord(rs.getString("uuid"), rs.getString("host"), rs.getString("binary_name"),
                rs.getString("topic"), rs.getString("availability_zone"), rs.getBoolean("disabled"),
                rs.getString("disabled_reason"), rs.getLong("report_count"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
