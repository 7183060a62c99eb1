package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.VolumeTypeEncryption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Volume types' encryption (Cinder's {@code encryption} table): at most one per type, so a second
 * create is refused (400 with Cinder's text); it goes when its type goes.
 */
public final class EncryptionRepository {
    /** The columns an update may set, by their API (and column) names. */
    public static final List<String> UPDATABLE = List.of("provider", "cipher", "key_size", "control_location");
    private static final String COLUMNS = "encryption_id, volume_type_id, provider, cipher, key_size,"
            + " control_location, created_at, updated_at";

    private final Jdbi jdbi;

    public EncryptionRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Gives the type its encryption; 400 when it has one already. */
    public VolumeTypeEncryption create(String typeId, String provider, String cipher, Integer keySize,
                                       String controlLocation) {
        VolumeTypeEncryption created = new VolumeTypeEncryption(Ids.newId(), typeId, provider, cipher, keySize,
                controlLocation, Rows.now(), null);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO encryption (" + COLUMNS + ") VALUES (:id, :type,"
                            + " :provider, :cipher, :keySize, :location, :created, NULL)")
                    .bind("id", created.encryptionId()).bind("type", typeId).bind("provider", provider)
                    .bind("cipher", cipher).bind("keySize", keySize).bind("location", controlLocation)
                    .bind("created", Rows.timestamp(created.createdAt())).execute());
        } catch (RuntimeException e) {
            if (forType(typeId).isPresent()) {
                throw BasaltException.badRequest("Volume type encryption for type %s already exists.", typeId);
            }
            throw e;
        }
        return created;
    }

    /** The type's encryption, if it has one. */
    public Optional<VolumeTypeEncryption> forType(String typeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM encryption WHERE volume_type_id = :t")
                .bind("t", typeId).map((rs, ctx) -> row(rs)).findOne());
    }

    /**
     * Sets the given {@link #UPDATABLE} columns (a null value clears one) of the type's encryption;
     * false if it has none.
     */
    public boolean update(String typeId, Map<String, Object> values) {
        if (!UPDATABLE.containsAll(values.keySet())) {
            throw new IllegalArgumentException("not updatable: " + values.keySet());
        }
        StringBuilder sql = new StringBuilder("UPDATE encryption SET updated_at = :now");
        values.keySet().forEach(column -> sql.append(", ").append(column).append(" = :").append(column));
        return jdbi.withHandle(h -> {
            var update = h.createUpdate(sql + " WHERE volume_type_id = :t").bind("t", typeId)
                    .bind("now", Rows.timestamp(Rows.now()));
            values.forEach(update::bind);
            return update.execute() > 0;
        });
    }

    /** Removes the type's encryption; false if it had none. */
    public boolean delete(String typeId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM encryption WHERE volume_type_id = :t")
                .bind("t", typeId).execute() > 0);
    }

    private static VolumeTypeEncryption row(ResultSet rs) throws SQLException {
        int keySize = rs.getInt(5);
        Integer keySizeOrNull = rs.wasNull() ? null : keySize;
        return new VolumeTypeEncryption(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                keySizeOrNull, rs.getString(6), Rows.instant(rs, 7), Rows.instant(rs, 8));
    }
}
