package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.VolumeExport;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The iSCSI exports of volumes ({@code volume_exports}): at most one per volume. */
public final class ExportRepository {
    private static final String COLUMNS = "volume_id, host, target_iqn, chap_username, chap_secret, created_at";

    private final Jdbi jdbi;

    public ExportRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    public Optional<VolumeExport> find(String volumeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volume_exports WHERE volume_id = :id")
                .bind("id", volumeId).map((rs, ctx) -> row(rs)).findOne());
    }

    /**
     * The volume's export: the one kept already, or else {@code candidate}, kept from now on. Two
     * callers racing get the same one. Empty when the volume does not exist.
     */
    public Optional<VolumeExport> findOrAdd(VolumeExport candidate) {
        return jdbi.inTransaction(h -> {
            if (Locks.volumeStatus(h, candidate.volumeId()).isEmpty()) {
                return Optional.empty();
            }
            Optional<VolumeExport> kept = h.createQuery("SELECT " + COLUMNS + " FROM volume_exports"
                            + " WHERE volume_id = :id")
                    .bind("id", candidate.volumeId()).map((rs, ctx) -> row(rs)).findOne();
            if (kept.isPresent()) {
                return kept;
            }
            h.createUpdate("INSERT INTO volume_exports (" + COLUMNS + ") VALUES (:volume_id, :host, :iqn, :user,"
                            + " :secret, :created_at)")
                    .bind("volume_id", candidate.volumeId()).bind("host", candidate.host())
                    .bind("iqn", candidate.iqn()).bind("user", candidate.chapUser())
                    .bind("secret", candidate.chapSecret()).bind("created_at", Rows.timestamp(candidate.createdAt()))
                    .execute();
            return Optional.of(candidate);
        });
    }

    /** The exports a backend ({@code host@backend}) serves. */
    public List<VolumeExport> onHost(String host) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volume_exports WHERE host = :host"
                        + " ORDER BY created_at, volume_id")
                .bind("host", host).map((rs, ctx) -> row(rs)).list());
    }

    /** Forgets the volume's export; true when there was one. */
    public boolean delete(String volumeId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM volume_exports WHERE volume_id = :id")
                .bind("id", volumeId).execute()) > 0;
    }

    private static VolumeExport row(ResultSet rs) throws SQLException {
        return new VolumeExport(rs.getString("volume_id"), rs.getString("host"), rs.getString("target_iqn"),
                rs.getString("chap_username"), rs.getString("chap_secret"), Rows.instant(rs, "created_at"));
    }
}
